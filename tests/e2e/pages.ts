/** HTML pages the end-to-end tests and the benchmark serve on 127.0.0.1. */

const HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Screener test page</title></head>';
const VIDEO_ATTRIBUTES = 'autoplay muted loop playsinline width="640" height="360"';

/** Returns a page with one playing video. */
export function videoPage(videoUrl: string): string {
  return `${HEAD}<body><h1>Video</h1><video id="video" src="${videoUrl}" ${VIDEO_ATTRIBUTES}></video></body></html>`;
}

/** Returns a page that adds a video inside an open shadow root `delayMs` after load. */
export function lateShadowVideoPage(videoUrl: string, delayMs: number): string {
  return `${HEAD}<body><h1>Late video</h1><div id="host"></div><script>
    setTimeout(() => {
      const root = document.getElementById('host').attachShadow({ mode: 'open' });
      const video = document.createElement('video');
      video.src = ${JSON.stringify(videoUrl)};
      video.muted = true; video.loop = true; video.autoplay = true; video.playsInline = true;
      video.width = 640; video.height = 360;
      root.append(video);
    }, ${delayMs});
  </script></body></html>`;
}

/** Returns a page that embeds `frameUrl` in an iframe. */
export function iframePage(frameUrl: string): string {
  return `${HEAD}<body><h1>Embedded player</h1><iframe src="${frameUrl}" width="700" height="420" style="border:0"></iframe></body></html>`;
}
