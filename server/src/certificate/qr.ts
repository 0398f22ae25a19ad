import QRCode from 'qrcode';

// Level M: the codes are long (~200 alphanumerics) and printed small; M keeps modules large enough for
// cheap thermal printers while surviving a smudge.
const options = { errorCorrectionLevel: 'M', margin: 2 } as const;

export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { ...options, type: 'svg' });

export const qrPng = (text: string, width = 480): Promise<Buffer> =>
  QRCode.toBuffer(text, { ...options, type: 'png', width });
