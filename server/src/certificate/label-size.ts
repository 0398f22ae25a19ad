/** The two label stocks stalls print on, width × height in millimetres. */
export const labelSizes = ['60x40', '60x80'] as const;
export type LabelSize = (typeof labelSizes)[number];

/** PDF and HTML for any printer through a browser or viewer; TSPL and ESC/POS straight to a thermal printer. */
export const labelFormats = ['pdf', 'html', 'tspl', 'escpos'] as const;
export type LabelFormat = (typeof labelFormats)[number];

/** The formats a printer reads as raw bytes on its port 9100. */
export const printerFormats = ['tspl', 'escpos'] as const;
export type PrinterFormat = (typeof printerFormats)[number];

export function labelMillimetres(size: LabelSize): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number) as [number, number];
  return { width, height };
}
