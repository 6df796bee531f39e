// Links to external tickets open in the system browser: the window itself never navigates
// away (the shell's navigation guard refuses it) and the capability allows https only.
import { openUrl } from "@tauri-apps/plugin-opener";

export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

export async function openExternal(url: string): Promise<void> {
  if (!isSafeExternalUrl(url)) throw new Error(`Not an https link: ${url}`);
  await openUrl(url);
}
