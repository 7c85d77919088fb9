// What the page gets from Tauri (withGlobalTauri): the only global the UI reads.
interface Window {
  __TAURI__?: {
    core?: { invoke: (command: string, args?: object) => Promise<any> };
    event?: { listen: (event: string, handler: (e: { payload: any }) => void) => Promise<() => void> };
  };
}
