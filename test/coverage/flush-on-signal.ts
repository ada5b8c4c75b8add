// Temporary alias for a coverage run started before the rename (removed after it ends).
import './flush-on-signal.mjs';
