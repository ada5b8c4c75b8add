// Beside the residual lane: how loud the residual is against the source, the offset the stems were
// realigned by, and per stem how much of the residual correlates with it (what the split missed).
import { STEM_LABELS, type ResidualView } from '../../../shared/api.ts';
import '../styles/residual.css';
import { STEM_COLORS } from './colors.ts';

/** Stems shown by name; the rest are in the tooltip. */
const SHOWN = 4;

export function formatDb(db: number): string {
  return `${db < 0 ? '−' : '+'}${Math.abs(db).toFixed(0)} dB`;
}

export function LeakMeter({ residual }: { residual: ResidualView }) {
  const leaks = [...residual.leaks].sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation));
  const all = leaks.map(
    (leak) => `${STEM_LABELS[leak.stem]} ${Math.round(Math.abs(leak.correlation) * 100)}%`,
  );
  return (
    <aside
      className="leak-meter"
      aria-label="Residual level and leak meter"
      title={`Residual ${residual.levelDb} dB against the source; stems realigned by ${residual.offsetMs} ms.\nHow much of the residual each stem explains: ${all.join(', ')}`}
    >
      <div className="leak-summary">
        <strong className="leak-level">{formatDb(residual.levelDb)}</strong>
        <span className="muted small">offset {residual.offsetMs} ms</span>
      </div>
      <ul className="leak-bars">
        {leaks.slice(0, SHOWN).map((leak) => (
          <li key={leak.trackId} data-stem={leak.stem}>
            <span className="leak-name">{STEM_LABELS[leak.stem]}</span>
            <span className="leak-bar" aria-hidden="true">
              <span
                style={{
                  width: `${Math.round(Math.min(1, Math.abs(leak.correlation)) * 100)}%`,
                  background: STEM_COLORS[leak.stem],
                }}
              />
            </span>
            <span className="leak-value">{Math.round(Math.abs(leak.correlation) * 100)}%</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
