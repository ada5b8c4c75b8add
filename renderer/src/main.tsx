// Renderer entry: mounts the app.
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './audio/debug-hook.ts';
import { warmUpAudio } from './audio/warm-up.ts';
import './styles/base.css';
import './styles/layout.css';
import './styles/forms.css';
import './styles/library.css';
import './styles/studio.css';
import './styles/lyrics.css';
import './styles/inspector.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
warmUpAudio();
