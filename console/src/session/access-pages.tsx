import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** An address the console does not know: says so, instead of an empty page. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="card access-page" data-page="not-found">
      <h1>{t('page.notFound')}</h1>
      <p>{t('page.notFoundHint')}</p>
      <Link className="button" to="/">
        {t('page.home')}
      </Link>
    </section>
  );
}

/** A screen the logged-in role may not use: says so, instead of a screen of empty queues and 403s. */
export function NoAccessPage() {
  const { t } = useTranslation();
  return (
    <section className="card access-page" data-page="no-access">
      <h1>{t('page.noAccess')}</h1>
      <p>{t('page.noAccessHint')}</p>
      <Link className="button" to="/">
        {t('page.home')}
      </Link>
    </section>
  );
}
