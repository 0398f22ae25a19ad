/**
 * Opens the browser's print dialog on a label PDF without leaving the stall screen: the PDF loads into a hidden
 * frame of the same origin, which prints at the PDF's own page size (60×40 or 60×80 mm) on a label printer.
 */
export function printLabel(url: string): void {
  const frame = document.createElement('iframe');
  frame.className = 'print-frame';
  frame.setAttribute('aria-hidden', 'true');
  frame.src = url;
  frame.addEventListener('load', () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
    // The dialog blocks until closed in most browsers; the frame is not needed after it.
    setTimeout(() => frame.remove(), 60_000);
  });
  document.body.append(frame);
}
