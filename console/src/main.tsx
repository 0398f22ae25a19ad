import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { createApi } from './api/api.ts';
import { ApiProvider } from './api/api-context.tsx';
import { fetchTransport } from './api/transport.ts';
import { App } from './app.tsx';
import { socketGateFeed } from './gate/gate-feed.ts';
import { createI18n } from './i18n/i18n.ts';
import { socketViolationFeed } from './regulator/violation-feed.ts';
import './styles.css';

const i18n = createI18n();
document.documentElement.lang = i18n.language;
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queries}>
        <ApiProvider api={createApi(fetchTransport)}>
          <BrowserRouter>
            <App feeds={{ gate: socketGateFeed, violations: socketViolationFeed }} />
          </BrowserRouter>
        </ApiProvider>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
