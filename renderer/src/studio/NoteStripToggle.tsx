// Shows or hides the note strips of every lane with MIDI (the choice is remembered for the session).
export function NoteStripToggle({
  isShown,
  onChange,
}: {
  isShown: boolean;
  onChange: (isShown: boolean) => void;
}) {
  return (
    <label className="note-strip-toggle small">
      <input type="checkbox" checked={isShown} onChange={(event) => onChange(event.target.checked)} />
      Show MIDI notes
    </label>
  );
}
