import browser from 'webextension-polyfill';
import { scoreTone } from '../engine/bands';

const BADGE_COLORS = { alert: '#c62828', uncertain: '#ef6c00', low: '#1565c0' } as const;

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
  const color = BADGE_COLORS[scoreTone(probability, alertThreshold)];
  await browser.action.setBadgeText({ tabId, text: `${Math.round(probability * 100)}%` });
  await browser.action.setBadgeBackgroundColor({ tabId, color });
}
