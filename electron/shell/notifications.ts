// OS notifications for finished tasks (a click opens the task) and the dock/taskbar badge with the
// number of running tasks. What to say and when is decided in task-watch.ts.
import { app, nativeImage, Notification, type BrowserWindow } from 'electron';
import { watchTasks, type TaskWatchDeps } from './task-watch.ts';

export interface NotificationOptions {
  events: TaskWatchDeps['events'];
  getTask: TaskWatchDeps['getTask'];
  countRunning: TaskWatchDeps['countRunning'];
  window: () => BrowserWindow | null;
  openTask: (taskId: string) => void;
  /** Small dot shown over the Windows taskbar button while tasks run. */
  badgeIcon: string;
}

export function startNotifications(options: NotificationOptions): () => void {
  // Electron drops click handlers of notifications that were garbage-collected: hold them.
  const shown = new Set<Notification>();
  const badge = nativeImage.createFromPath(options.badgeIcon);
  const watch = watchTasks({
    events: options.events,
    getTask: options.getTask,
    countRunning: options.countRunning,
    notify(notice) {
      if (!Notification.isSupported()) return;
      const note = new Notification({ title: notice.title, body: notice.body, silent: false });
      const forget = (): void => void shown.delete(note);
      note.on('click', () => {
        forget();
        options.openTask(notice.taskId);
      });
      note.on('close', forget);
      shown.add(note);
      note.show();
    },
    setBadge(count) {
      // macOS dock and Unity launchers; elsewhere this is a no-op that returns false.
      app.setBadgeCount(count);
      const win = options.window();
      if (process.platform === 'win32' && win && !win.isDestroyed()) {
        win.setOverlayIcon(
          count > 0 && !badge.isEmpty() ? badge : null,
          count > 0 ? `${count} tasks running` : '',
        );
      }
    },
  });
  return () => {
    watch.close();
    for (const note of shown) note.close();
    shown.clear();
  };
}
