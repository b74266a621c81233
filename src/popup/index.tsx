/**
 * Toolbar popup: every video of the active tab with its state and verdict, the
 * engine's backend, pause and resume, and settings. `popup.html?tabId=N` shows tab N
 * instead of the active tab, which lets tests open the popup in a normal tab.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import {
  ENGINE_KEY,
  SETTINGS_KEY,
  resolveSettings,
  tabKey,
  type EngineStatus,
  type SetPausedMessage,
  type Settings,
  type TabRecord,
} from '../messages';
import { SettingsForm } from './SettingsForm';
import { VideoCard } from './VideoCard';

interface PopupState {
  tab: TabRecord;
  engine: EngineStatus | null;
  settings: Settings;
}

async function resolveTabId(): Promise<number | null> {
  const requested = new URLSearchParams(location.search).get('tabId');
  if (requested !== null && Number.isInteger(Number(requested))) return Number(requested);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

async function readState(tabId: number): Promise<PopupState> {
  const key = tabKey(tabId);
  const session = await browser.storage.session.get([key, ENGINE_KEY]);
  const local = await browser.storage.local.get(SETTINGS_KEY);
  return {
    tab: (session[key] as TabRecord | undefined) ?? { paused: false, videos: {} },
    engine: (session[ENGINE_KEY] as EngineStatus | undefined) ?? null,
    settings: resolveSettings(local[SETTINGS_KEY] as Partial<Settings> | undefined),
  };
}

function EngineLine(props: { engine: EngineStatus | null }) {
  const { engine } = props;
  if (engine === null) return <div class="engine">Engine: not started (it starts with the first video)</div>;
  if (engine.state === 'failed') return <div class="engine">Engine failed to start: {engine.error}</div>;
  if (engine.state === 'starting') return <div class="engine">Engine: measuring backends…</div>;
  const timings = engine.timings
    .map((timing) => `${timing.name} ${timing.msPerFrame === null ? 'unavailable' : `${timing.msPerFrame.toFixed(1)} ms`}`)
    .join(', ');
  return (
    <div class="engine">
      Backend: <span class="backend">{engine.backend}</span> (chosen by measurement: {timings})
      {engine.activeModel && <div class="model">Model: {engine.activeModel.label}</div>}
    </div>
  );
}

function Popup(props: { tabId: number }) {
  const { tabId } = props;
  const [state, setState] = useState<PopupState | null>(null);

  useEffect(() => {
    const refresh = (): void => {
      readState(tabId).then(setState, (error: unknown) => console.error('popup: reading state failed', error));
    };
    refresh();
    browser.storage.onChanged.addListener(refresh);
    return () => browser.storage.onChanged.removeListener(refresh);
  }, [tabId]);

  if (state === null) return <main>Loading…</main>;
  const videos = Object.values(state.tab.videos).sort((a, b) => a.videoId.localeCompare(b.videoId));
  const model = state.engine?.model ?? null;
  const togglePause = (): void => {
    const message: SetPausedMessage = { type: 'set-paused', target: 'background', tabId, paused: !state.tab.paused };
    void browser.runtime.sendMessage(message);
  };

  return (
    <>
      <header>
        <h1>Deepfake Screener</h1>
        <button type="button" class="pause" onClick={togglePause}>
          {state.tab.paused ? 'Resume screening' : 'Pause screening'}
        </button>
      </header>
      <main>
        <EngineLine engine={state.engine} />
        {state.engine?.state === 'ready' && model === null ? (
          <div class="notice untrained">The classifier is not trained yet: the extension finds faces but shows no verdict.</div>
        ) : null}
        {state.tab.paused ? <div class="notice">Screening is paused in this tab.</div> : null}
        {videos.length === 0 ? <div class="empty">No video found in this tab.</div> : null}
        {videos.map((video) => (
          <VideoCard key={video.videoId} video={video} model={model} engineReady={state.engine?.state === 'ready'} alertThreshold={state.settings.alertThreshold} />
        ))}
        <SettingsForm settings={state.settings} />
      </main>
    </>
  );
}

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) throw new Error('popup: #app element is missing from popup.html');
  const tabId = await resolveTabId();
  if (tabId === null) {
    render(<main>No tab to screen.</main>, root);
    return;
  }
  render(<Popup tabId={tabId} />, root);
}

void start();
