import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Reads one QR code with the device camera. zxing loads only when the button is pressed, and the button shows
 * only in a secure context (HTTPS or localhost): elsewhere browsers give no camera. Wedge scanners need none of
 * this; they type into the code field.
 */
export function CameraScan({ onCode }: { onCode: (text: string) => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [active, setActive] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!active || !video.current) return;
    let stop = () => {};
    let cancelled = false;
    void import('@zxing/library').then(async ({ BrowserQRCodeReader }) => {
      const reader = new BrowserQRCodeReader();
      stop = () => reader.reset();
      if (cancelled) return stop();
      try {
        const result = await reader.decodeOnceFromVideoDevice(undefined, video.current ?? undefined);
        if (!cancelled) onCode(result.getText());
      } catch {
        if (!cancelled) setFailed(true);
      } finally {
        reader.reset();
        if (!cancelled) setActive(false);
      }
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [active, onCode]);

  if (!globalThis.isSecureContext || !navigator.mediaDevices) return null;
  return (
    <div className="camera">
      <button
        type="button"
        className="big"
        onClick={() => {
          setFailed(false);
          setActive((a) => !a);
        }}
      >
        {active ? t('scan.stop') : t('scan.camera')}
      </button>
      {active && <video ref={video} className="camera-view" muted playsInline />}
      {failed && <span className="problem">{t('scan.failed')}</span>}
    </div>
  );
}
