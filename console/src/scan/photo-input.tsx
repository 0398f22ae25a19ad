import { maxPhotoBase64Chars } from '@liangzheng/domain/lot/photo';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Longest side a photo of a paper certificate is scaled to: its print stays legible, its size within the limit. */
const maxSide = 1280;

/**
 * A phone photo is megabytes; the server takes about 150 KB. The browser redraws it smaller as JPEG, lowering the
 * quality until it fits.
 */
async function photoBase64(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.8, 0.6, 0.45, 0.3, 0.2]) {
    const base64 = canvas.toDataURL('image/jpeg', quality).split(',')[1] ?? '';
    if (base64.length <= maxPhotoBase64Chars) return base64;
  }
  return null;
}

/** A photo from the device camera (`capture`): phones open the camera, desktops a file chooser. */
export function PhotoInput({ onPhoto }: { onPhoto: (base64: string | undefined) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'none' | 'ready' | 'failed'>('none');
  return (
    <label>
      {t('scan.photo')}
      <input
        type="file"
        name="photo"
        accept="image/*"
        capture="environment"
        onChange={async (event) => {
          const file = event.target.files?.[0];
          const base64 = file ? await photoBase64(file).catch(() => null) : undefined;
          onPhoto(base64 ?? undefined);
          setState(base64 ? 'ready' : file ? 'failed' : 'none');
        }}
      />
      {state === 'ready' && <span className="notice">{t('scan.photoReady')}</span>}
      {state === 'failed' && <span className="problem">{t('scan.photoFailed')}</span>}
    </label>
  );
}
