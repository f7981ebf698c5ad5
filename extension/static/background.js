// Service worker loader: listeners are registered synchronously (so events
// that wake the worker are not lost) and forwarded to the Rust background.
import init, * as repro from './pkg/repro_extension_ui.js';

const ready = init({ module_or_path: './pkg/repro_extension_ui_bg.wasm' });
const forward = (name) => (...args) => ready.then(() => repro[name](...args)).catch((e) => console.error('repro', name, e));
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  ready.then(() => repro.on_message(message, sender)).then(reply, (e) => reply({ error: String(e) }));
  return true;
});
chrome.webNavigation.onCommitted.addListener(forward('on_navigation_committed'));
chrome.webNavigation.onDOMContentLoaded.addListener(forward('on_dom_content_loaded'));
chrome.tabs.onRemoved.addListener(forward('on_tab_removed'));
chrome.runtime.onInstalled.addListener(forward('on_startup'));
chrome.alarms.onAlarm.addListener(forward('on_alarm'));
chrome.notifications.onClicked.addListener(forward('on_notification_clicked'));
chrome.commands.onCommand.addListener(forward('on_command'));
chrome.runtime.onStartup.addListener(forward('on_startup'));
chrome.storage.onChanged.addListener(forward('on_storage_changed'));
