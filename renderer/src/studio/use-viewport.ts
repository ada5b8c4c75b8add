// Re-renders a component when the shared viewport changes (for the few parts drawn with React).
import { useEffect, useState } from 'react';
import type { Viewport, ViewportState } from './viewport.ts';

export function useViewport(viewport: Viewport): ViewportState {
  const [state, setState] = useState(viewport.get());
  useEffect(() => viewport.subscribe(setState), [viewport]);
  return state;
}
