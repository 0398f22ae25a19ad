import { shownQuantity } from '@liangzheng/domain/unit/unit';
import { useTranslation } from 'react-i18next';
import type { InventoryItem } from '../api/api.ts';
import { problemText } from '../api/api-problem.ts';
import { marketDate } from '../time/market-time.ts';
import type { Stall } from './use-stall.ts';

/** The stall's goods: source certificate, what is left of what was received, the date and the stop-sale flag. */
export function InventoryList({ stall }: { stall: Stall }) {
  const { t, i18n } = useTranslation();
  const answer = stall.inventory.data;
  const items: InventoryItem[] = answer?.ok ? answer.value : [];
  return (
    <section className="card">
      <h2>{t('custody.inventory')}</h2>
      {answer && !answer.ok && <p className="problem">{problemText(t, answer.error)}</p>}
      {answer?.ok && items.length === 0 && <p className="hint">{t('custody.inventoryEmpty')}</p>}
      {items.length > 0 && (
        <div className="scroll-x">
          <table className="inventory">
            <thead>
              <tr>
                <th scope="col">{t('custody.product')}</th>
                <th scope="col">{t('custody.left')}</th>
                <th scope="col">{t('custody.source')}</th>
                <th scope="col">{t('custody.date')}</th>
                <th scope="col">{t('custody.state')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const chosen = stall.inputs.some((i) => i.itemId === item.id);
                return (
                  <tr key={item.id} className={item.state}>
                    <td>
                      {item.productName}
                      {item.unverifiedSources && (
                        <>
                          <br />
                          <small className="flag-unverified">{t('custody.unverified.inventoryFlag')}</small>
                        </>
                      )}
                    </td>
                    <td>
                      {shownQuantity(item.left)} / {shownQuantity(item.received)} {t(`unit.${item.unit}`)}
                    </td>
                    <td>
                      <code>{item.certificateId}</code>
                      <br />
                      <small>{item.issuerName}</small>
                    </td>
                    <td>{marketDate(item.receivedAt, i18n.language)}</td>
                    <td title={item.heldReason ?? undefined}>
                      {t(`custody.${item.state}`)}
                      {item.heldReason && <small> {item.heldReason}</small>}
                    </td>
                    <td>
                      <button
                        type="button"
                        disabled={item.state !== 'available' || chosen}
                        onClick={() => stall.pick(item.id)}
                      >
                        {chosen ? t('custody.picked') : t('custody.pick')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
