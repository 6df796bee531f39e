import { useEffect, useRef, useState, type RefObject } from "react";
import { isDialogOpen } from "../../../components/Dialog";
import { onFileDrag, type FileDragEvent } from "../../../lib/files";

/** Whether a point (CSS pixels) is over the element; unknown positions count as over it. */
function over(el: HTMLElement | null, at: { x: number; y: number } | undefined): boolean {
  if (!el || !at) return true;
  const r = el.getBoundingClientRect();
  // An element not laid out (a test DOM) has no size: accept.
  if (r.width === 0 && r.height === 0) return true;
  return at.x >= r.left && at.x <= r.right && at.y >= r.top && at.y <= r.bottom;
}

/**
 * Files dragged from the desktop onto `zone`: whether a drag is over it now, and `onDrop` with
 * the dropped paths. Tauri reports drags for the whole window, so the position decides; drops
 * while a dialog is open are ignored.
 */
export function useFileDrop(zone: RefObject<HTMLElement | null>, onDrop: (paths: string[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const onDropRef = useRef(onDrop);
  onDropRef.current = onDrop;

  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    const handle = (e: FileDragEvent) => {
      switch (e.type) {
        case "enter":
        case "over":
          setDragging(!isDialogOpen() && over(zone.current, e.position));
          return;
        case "leave":
          setDragging(false);
          return;
        case "drop":
          setDragging(false);
          if (!isDialogOpen() && over(zone.current, e.position) && e.paths.length > 0) onDropRef.current(e.paths);
      }
    };
    void onFileDrag(handle).then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [zone]);

  return dragging;
}
