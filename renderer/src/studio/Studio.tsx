// The studio for one task: a lane per take or stem (plus the A/B source) drawn from stored peaks, one
// transport over one AudioContext, a shared timeline with a loop region, and keyboard control.
import {
  Fragment,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import type { TaskView } from '../../../shared/domain.ts';
import { adjacentSection } from '../../../shared/lyrics.ts';
import { mark } from '../audio/debug-hook.ts';
import { api } from '../api/window-api.ts';
import { ErrorBoundary } from '../common/ErrorBoundary.tsx';
import { queryKeys, useQuery } from '../state/queries.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { HScroll } from './HScroll.tsx';
import { HEADER_WIDTH, laneHeight, LYRICS_LANE_HEIGHT, peakPixels } from './lane-layout.ts';
import { buildLanes, isPlayable, timelineSeconds, type LaneSpec } from './lanes.ts';
import { laneColors } from './colors.ts';
import { LaneRow } from './LaneRow.tsx';
import { lyricsPlacements, rulerSections } from './lyrics-lanes.ts';
import { LyricsLane } from './LyricsLane.tsx';
import {
  audibleLanes,
  DEFAULT_LANE,
  effectiveMix,
  initialStudio,
  studioReducer,
  ZOOM_STEPS,
} from './mix-model.ts';
import { Playhead } from './Playhead.tsx';
import { Ruler } from './Ruler.tsx';
import { SectionMarkers } from './SectionMarkers.tsx';
import { StudioHeader } from './StudioHeader.tsx';
import { Transport } from './Transport.tsx';
import { usePlayback } from './use-playback.ts';
import { useDerivedLanes } from './use-derived-lanes.ts';
import { useStudioKeys } from './use-studio-keys.ts';
import { useTimeDrag } from './use-time-drag.ts';
import { createViewport } from './viewport.ts';
import { NoteStripToggle } from './NoteStripToggle.tsx';
import { useStemMidi } from './use-stem-midi.ts';

export function Studio({ taskId, isActive }: { taskId: string; isActive: boolean }) {
  const task = useQuery<TaskView>(queryKeys.task(taskId), () => api.call['tasks.get']({ id: taskId }));
  const parentId = task.data?.parentTaskId ?? null;
  const parent = useQuery<TaskView>(parentId ? queryKeys.task(parentId) : null, () =>
    api.call['tasks.get']({ id: parentId ?? '' }),
  );
  const derived = useDerivedLanes(task.data);
  const lanes = useMemo(
    () => (task.data ? buildLanes(task.data, parent.data ?? null, derived) : []),
    [task.data, parent.data, derived],
  );
  const placements = useMemo(
    () => (task.data ? lyricsPlacements(lanes, task.data, parent.data ?? null) : []),
    [lanes, task.data, parent.data],
  );
  const laneKey = lanes.map((lane) => lane.id).join(',');
  const [state, dispatch] = useReducer(studioReducer, undefined, initialStudio);
  useEffect(() => dispatch({ type: 'sync', ids: laneKey ? laneKey.split(',') : [] }), [laneKey]);
  const mix = useMemo(() => effectiveMix(state, lanes), [state, lanes]);
  const playback = usePlayback(taskId, lanes, mix, state.loop);
  const audible = useMemo(() => audibleLanes(mix), [mix]);
  const colors = useMemo(() => laneColors(lanes), [lanes]);
  const viewport = useMemo(createViewport, []);
  const total = timelineSeconds(lanes);
  const lanesBox = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState(() => new Set<string>());
  const [isExporting, setIsExporting] = useState(false);
  const [boxHeight, setBoxHeight] = useState<number | null>(null);
  const stemMidi = useStemMidi(task.data);
  const [isShowingNotes, setIsShowingNotes] = useState(true);

  useEffect(() => mark('studio-open'), []);
  useEffect(
    () => viewport.set({ total, zoomPx: ZOOM_STEPS[state.zoom] ?? 0 }),
    [viewport, total, state.zoom],
  );
  // Measured before the first paint, so waveforms are created once at their real size.
  useLayoutEffect(() => {
    const box = lanesBox.current;
    if (!box) return;
    const measure = () => {
      viewport.set({ width: Math.max(100, box.clientWidth - HEADER_WIDTH) });
      setBoxHeight(box.clientHeight);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, [viewport, task.data === undefined]);

  const drawable = lanes.filter((lane) => isPlayable(lane)).length;
  // A derived lane the core is still computing (the source's decode, the residual) is not drawn yet.
  const isDerivingLane = (lane: LaneSpec) => lane.note !== null && lane.state === 'downloading';
  const isAllDrawn =
    drawable > 0 && lanes.every((lane) => drawn.has(lane.id) || (!isPlayable(lane) && !isDerivingLane(lane)));
  useLayoutEffect(() => {
    if (isAllDrawn) mark('studio-lanes-drawn');
  }, [isAllDrawn]);

  const seek = playback.seek;
  const onDrawn = useCallback(
    (id: string) => setDrawn((all) => (all.has(id) ? all : new Set(all).add(id))),
    [],
  );
  const onSelect = useCallback((id: string) => dispatch({ type: 'select', id }), []);
  const onToggle = useCallback(
    (id: string, what: 'isMuted' | 'isSoloed') => dispatch({ type: 'toggle', id, what }),
    [],
  );
  const onGain = useCallback(
    (id: string, gainDb: number) => dispatch({ type: 'lane', id, patch: { gainDb } }),
    [],
  );
  const onMove = useCallback((id: string, before: string) => dispatch({ type: 'move', id, before }), []);
  const timeDrag = useTimeDrag(viewport, seek, (start, end) =>
    dispatch({ type: 'loop', patch: { start, end, isOn: true } }),
  );
  const hasSource = lanes.some((lane) => lane.isSource);
  const pixels = peakPixels(
    total,
    Math.max(ZOOM_STEPS[state.zoom] ?? 0, viewport.get().width / Math.max(total, 1)),
  );
  const height = laneHeight(lanes.length, (boxHeight ?? 0) - placements.length * LYRICS_LANE_HEIGHT);
  const sections = rulerSections(placements, state.selectedId);

  useStudioKeys(isActive, {
    state,
    dispatch,
    toggle: playback.toggle,
    stop: playback.stop,
    seekBy: (seconds) => seek(Math.max(0, Math.min(total, playback.positionSeconds() + seconds))),
    jumpSection: (direction) => {
      const section = adjacentSection(sections, playback.positionSeconds(), direction);
      if (section) seek(section.startSec);
    },
    position: playback.positionSeconds,
    total,
    hasSource,
  });

  if (!task.data)
    return <div className="studio-empty muted">{task.error ? task.error.message : 'Opening…'}</div>;
  const byId = new Map(lanes.map((lane) => [lane.id, lane]));
  const failed = Object.keys(playback.failures).map((id) => byId.get(id)?.name ?? 'A lane');
  const error =
    playback.error ??
    (failed.length > 0
      ? `${failed.join(', ')} could not be loaded; the other lanes play without ${failed.length > 1 ? 'them' : 'it'}.`
      : null);
  return (
    <div
      className="studio"
      hidden={!isActive}
      data-all-drawn={isAllDrawn ? 'true' : 'false'}
      data-lane-count={lanes.length}
    >
      <StudioHeader
        task={task.data}
        laneCount={lanes.length}
        error={error}
        onExport={() => setIsExporting(true)}
      />
      {isExporting && (
        <ExportDialog taskId={taskId} lanes={lanes} studio={state} onClose={() => setIsExporting(false)} />
      )}
      <Transport
        state={state}
        total={total}
        isPlaying={playback.isPlaying}
        isActive={isActive}
        isReady={playback.session !== null}
        hasSource={hasSource}
        loading={playback.progress}
        position={playback.positionSeconds}
        dispatch={dispatch}
        onToggle={playback.toggle}
        onStop={playback.stop}
      />
      {stemMidi.size > 0 && <NoteStripToggle isShown={isShowingNotes} onChange={setIsShowingNotes} />}
      <div
        className="lanes-scroll"
        ref={lanesBox}
        style={{ ['--lane-header' as string]: `${HEADER_WIDTH}px` }}
      >
        <Ruler viewport={viewport} loop={state.loop} onPointerDown={timeDrag}>
          <SectionMarkers
            sections={sections}
            viewport={viewport}
            onJump={(section) => seek(section.startSec)}
            onLoop={(section) =>
              dispatch({ type: 'loop', patch: { start: section.startSec, end: section.endSec, isOn: true } })
            }
          />
        </Ruler>
        <div className="lanes" role="group" aria-label="Lanes">
          {state.order.map((id) => {
            const lane = byId.get(id);
            if (!lane || boxHeight === null) return null;
            const lyricsLanes = placements
              .filter((p) => p.laneId === id)
              .map((p) => ({
                side: p.side,
                node: (
                  <LyricsLane
                    key={`lyrics:${p.takeTrackId}`}
                    takeTaskId={p.takeTaskId}
                    takeTrackId={p.takeTrackId}
                    takeName={p.takeName}
                    viewport={viewport}
                    isActive={isActive}
                    position={playback.positionSeconds}
                    onSeek={seek}
                  />
                ),
              }));
            return (
              <Fragment key={id}>
                {lyricsLanes.filter((l) => l.side === 'before').map((l) => l.node)}
                <ErrorBoundary name={lane.name} className="lane-crashed">
                  <LaneRow
                    lane={lane}
                    settings={state.lanes[id] ?? DEFAULT_LANE}
                    color={colors.get(id) ?? '#9aa3b5'}
                    isAudible={audible.has(id) && !playback.failures[id]}
                    failure={playback.failures[id] ?? null}
                    isSelected={state.selectedId === id}
                    isActive={isActive}
                    height={height}
                    total={total}
                    pixels={pixels}
                    viewport={viewport}
                    meters={playback.meters}
                    onSelect={onSelect}
                    onToggle={onToggle}
                    onGain={onGain}
                    onMove={onMove}
                    onPointerDown={timeDrag}
                    onDrawn={onDrawn}
                    notes={
                      isShowingNotes && lane.stem !== 'source' && lane.stem !== 'residual'
                        ? (stemMidi.get(lane.stem) ?? null)
                        : null
                    }
                  />
                </ErrorBoundary>
                {lyricsLanes.filter((l) => l.side === 'after').map((l) => l.node)}
              </Fragment>
            );
          })}
          <Playhead
            viewport={viewport}
            loop={state.loop}
            isActive={isActive}
            isPlaying={playback.isPlaying}
            position={playback.positionSeconds}
          />
        </div>
      </div>
      <HScroll viewport={viewport} />
      <p className="shortcuts muted small">
        Space play/pause · S solo · M mute · L loop · I/O loop in/out · ←/→ move 1 s (Shift 5 s) · ↑/↓ lane ·
        +/− zoom
        {hasSource ? ' · A A/B' : ''}
        {sections.length > 0 ? ' · [ ] section' : ''}
      </p>
    </div>
  );
}
