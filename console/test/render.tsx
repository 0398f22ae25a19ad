import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { createApi } from '../src/api/api.ts';
import { ApiProvider } from '../src/api/api-context.tsx';
import type { Transport } from '../src/api/transport.ts';
import { type ConsoleLanguage, createI18n } from '../src/i18n/i18n.ts';

/** Renders with the real providers; only the transport (the network edge) is a recorded one. */
export function renderConsole(
  ui: ReactNode,
  { transport, language = 'zh-CN' }: { transport: Transport; language?: ConsoleLanguage },
) {
  const i18n = createI18n(language);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queries}>
        <ApiProvider api={createApi(transport)}>
          <MemoryRouter>{ui}</MemoryRouter>
        </ApiProvider>
      </QueryClientProvider>
    </I18nextProvider>,
  );
  return { ...view, i18n };
}
