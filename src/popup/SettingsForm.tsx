import browser from 'webextension-polyfill';
import { SETTINGS_KEY, type Settings } from '../messages';

async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}

/** Sampling rate, alert threshold and in-page badges, stored in `chrome.storage.local`. */
export function SettingsForm(props: { settings: Settings }) {
  const { settings } = props;
  const update = (change: Partial<Settings>): void => {
    void saveSettings({ ...settings, ...change });
  };
  return (
    <fieldset>
      <legend>Settings</legend>
      <label>
        Analyse every Nth frame
        <input
          type="number"
          name="sampleEveryNthFrame"
          min={1}
          max={60}
          value={settings.sampleEveryNthFrame}
          onChange={(event) => {
            const value = Number(event.currentTarget.value);
            if (Number.isFinite(value) && value >= 1) update({ sampleEveryNthFrame: Math.round(value) });
          }}
        />
      </label>
      <label>
        Alert threshold (%)
        <input
          type="number"
          name="alertThreshold"
          min={1}
          max={100}
          value={Math.round(settings.alertThreshold * 100)}
          onChange={(event) => {
            const value = Number(event.currentTarget.value);
            if (Number.isFinite(value) && value > 0 && value <= 100) update({ alertThreshold: value / 100 });
          }}
        />
      </label>
      <label>
        Badges on videos
        <input
          type="checkbox"
          name="showPageBadges"
          checked={settings.showPageBadges}
          onChange={(event) => update({ showPageBadges: event.currentTarget.checked })}
        />
      </label>
    </fieldset>
  );
}
