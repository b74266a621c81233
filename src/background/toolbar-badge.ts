import browser from 'webextension-polyfill';
import { probabilityBand } from '../engine/bands';

const BADGE_COLORS = { alert: '#c62828', uncertain: '#ef6c00', clear: '#2e7d32' } as const;

/** Shows the tab's highest fake probability as a percentage on the toolbar icon, or clears it. */
export async function updateToolbarBadge(
  tabId: number,
  probability: number | null,
  alertThreshold: number,
): Promise<void> {
  if (probability === null) {
    await browser.action.setBadgeText({ tabId, text: '' });
    return;
  }
  let color: string = BADGE_COLORS.uncertain;
  if (probability >= alertThreshold) color = BADGE_COLORS.alert;
  else if (probabilityBand(probability) === 'no-signs') color = BADGE_COLORS.clear;
  await browser.action.setBadgeText({ tabId, text: `${Math.round(probability * 100)}%` });
  await browser.action.setBadgeBackgroundColor({ tabId, color });
}
