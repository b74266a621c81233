/**
 * `webextension-polyfill` for the Firefox background page, which hosts both the background
 * logic and the engine (Firefox has no offscreen documents). In Chrome these run in two
 * contexts and talk through `runtime.sendMessage`, but a page never receives its own
 * messages, so here `runtime.sendMessage` first offers each message to the listeners
 * registered in this page. Messages no listener here handles go to the other extension pages.
 */
import realBrowser, { type Browser, type Runtime } from 'webextension-polyfill';

type MessageListener = (message: unknown, sender: Runtime.MessageSender) => Promise<unknown> | true | void;

const localListeners = new Set<MessageListener>();

/** Message-port errors that mean no other extension page is open to receive the message. */
const NO_RECEIVER = /Receiving end does not exist|Could not establish connection/;

function localSender(): Runtime.MessageSender {
  return { id: realBrowser.runtime.id, url: globalThis.location?.href };
}

/**
 * Delivers a message to this page's listeners as Chrome would deliver it to another context:
 * asynchronously, and the first listener that returns a promise supplies the response.
 */
async function sendMessage(message: unknown): Promise<unknown> {
  await Promise.resolve();
  for (const listener of localListeners) {
    const response = listener(message, localSender());
    if (response instanceof Promise) {
      return response;
    }
  }
  try {
    return await realBrowser.runtime.sendMessage(message);
  } catch (error) {
    if (error instanceof Error && NO_RECEIVER.test(error.message)) {
      return undefined;
    }
    throw error;
  }
}

const onMessage = new Proxy(realBrowser.runtime.onMessage, {
  get(target, property, receiver) {
    if (property === 'addListener') {
      return (listener: MessageListener): void => {
        localListeners.add(listener);
        target.addListener(listener as Parameters<typeof target.addListener>[0]);
      };
    }
    if (property === 'removeListener') {
      return (listener: MessageListener): void => {
        localListeners.delete(listener);
        target.removeListener(listener as Parameters<typeof target.removeListener>[0]);
      };
    }
    return Reflect.get(target, property, receiver) as unknown;
  },
});

const runtime = new Proxy(realBrowser.runtime, {
  get(target, property, receiver) {
    if (property === 'sendMessage') {
      return sendMessage;
    }
    if (property === 'onMessage') {
      return onMessage;
    }
    return Reflect.get(target, property, receiver) as unknown;
  },
});

const browser = new Proxy(realBrowser, {
  get(target, property, receiver) {
    return property === 'runtime' ? runtime : (Reflect.get(target, property, receiver) as unknown);
  },
}) as Browser;

export default browser;
export type { Browser, Runtime };
