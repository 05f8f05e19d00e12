import { useLayoutEffect, useState } from 'preact/hooks';

/**
 * The current pixel width of an element (a chart's container), so that charts draw at
 * their real size — text stays legible on a phone instead of shrinking with a viewBox.
 * Returns a callback ref to put on the container, and the width.
 */
export function useWidth<T extends HTMLElement>(fallback = 640): [ref: (element: T | null) => void, width: number] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    if (!element) return;
    const measure = (): void => setWidth(Math.max(240, Math.round(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}
