// A fixed-row-height virtualized list: only the rows on screen (plus a few) exist in the DOM, so a
// library of 10,000 tasks scrolls like one of ten. Arrow keys move the active row.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface VirtualListProps {
  count: number;
  rowHeight: number;
  label: string;
  activeIndex: number;
  renderRow: (index: number) => ReactNode;
  rowId: (index: number) => string;
  onRange: (range: { first: number; last: number }) => void;
  onActivate: (index: number) => void;
  onOpen?: (index: number) => void;
}

const OVERSCAN = 6;

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, activeIndex } = props;
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const onRange = useRef(props.onRange);
  onRange.current = props.onRange;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);
  useEffect(() => onRange.current({ first, last: Math.max(first, last) }), [first, last]);

  useEffect(() => {
    const element = box.current;
    if (!element || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight)
      element.scrollTop = top + rowHeight - element.clientHeight;
  }, [activeIndex, rowHeight]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && count > 0) {
      event.preventDefault();
      props.onActivate(Math.max(0, Math.min(count - 1, activeIndex + step)));
    } else if (event.key === 'Enter' && activeIndex >= 0) props.onOpen?.(activeIndex);
  };

  const rows: ReactNode[] = [];
  for (let index = first; index <= last; index++) {
    rows.push(
      <div
        key={index}
        id={props.rowId(index)}
        role="option"
        aria-selected={index === activeIndex}
        className="vrow"
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
        onClick={() => props.onActivate(index)}
        onDoubleClick={() => props.onOpen?.(index)}
      >
        {props.renderRow(index)}
      </div>,
    );
  }
  return (
    <div
      ref={box}
      className="vlist"
      role="listbox"
      tabIndex={0}
      aria-label={props.label}
      aria-activedescendant={
        activeIndex >= 0 && activeIndex <= last && activeIndex >= first ? props.rowId(activeIndex) : undefined
      }
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
