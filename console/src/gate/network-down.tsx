import { useTranslation } from 'react-i18next';

/**
 * The server cannot be reached: the whole screen says so, in place of any verdict, so no colour from before the
 * outage can be read as the current truck's. Scans taken meanwhile are kept and sent once the server answers.
 */
export function NetworkDown({ unsent }: { unsent: number }) {
  const { t } = useTranslation();
  return (
    <div className="network-down" role="alert" data-outcome="offline">
      <span className="verdict-word" lang="zh-CN">
        网络断开
      </span>
      <span className="verdict-reason-en" lang="en">
        Network down
      </span>
      <span className="verdict-reason">{t('gate.networkDown')}</span>
      {unsent > 0 && <span className="verdict-subject">{t('gate.unsent', { count: unsent })}</span>}
    </div>
  );
}
