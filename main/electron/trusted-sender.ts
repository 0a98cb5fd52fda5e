// Which IPC senders may call the API: only the main frame of our own window showing our own page. A frame
// that navigated elsewhere (denied anyway) or an injected sub-frame gets nothing.
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';

export type SenderCheck = (sender: IpcMainInvokeEvent | WebFrameMain | null | undefined) => boolean;

/** `rendererUrl` is the URL the window loaded (file:// of out/renderer/index.html, or the dev server). */
export function trustedSenderCheck(rendererUrl: string): SenderCheck {
  const expected = new URL(rendererUrl);
  return (sender) => {
    const frame = sender && 'senderFrame' in sender ? sender.senderFrame : sender;
    if (!frame || frame.parent !== null) return false;
    return isSamePage(expected, frame.url);
  };
}

/** Same origin (file: compares the path; other schemes such as app: compare scheme and host, since the URL
 *  standard gives them the opaque origin "null") — the query and hash may differ. */
export function isSamePage(expected: URL, url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== expected.protocol) return false;
  if (u.protocol === 'file:') return u.pathname === expected.pathname;
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin === expected.origin;
  return u.host === expected.host && u.host !== '';
}
