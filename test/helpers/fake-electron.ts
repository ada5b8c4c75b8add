// A stand-in for the 'electron' module, since no Electron binary runs here: it records IPC handlers,
// schemes, windows, notifications and drags, routes a preload's ipcRenderer to ipcMain as the app's
// own frame, and "encrypts" with XOR so the vault file is still not plain text. Used by
// test/unit/shell-main.test.ts (vi.mock) and the packaged-app test (a loader hook, electron-stub.ts).
type Fn = (...args: unknown[]) => unknown;

function createListeners() {
  const listeners = new Map<string, Fn[]>();
  return {
    on(name: string, fn: Fn) {
      listeners.set(name, [...(listeners.get(name) ?? []), fn]);
      return this;
    },
    once(name: string, fn: Fn) {
      return this.on(name, fn);
    },
    removeListener(name: string, fn: Fn) {
      listeners.set(
        name,
        (listeners.get(name) ?? []).filter((listener) => listener !== fn),
      );
      return this;
    },
    emit: (name: string, ...args: unknown[]) => (listeners.get(name) ?? []).map((fn) => fn(...args)),
  };
}

type Listeners = ReturnType<typeof createListeners>;
export type FakeContents = Listeners & Record<string, unknown> & { mainFrame: { url: string } };
export interface FakeNote {
  title: string;
  body: string;
  emit: (name: string) => unknown[];
}

export interface FakeElectronOptions {
  /** What app.getAppPath() answers: the folder holding package.json and electron/resources. */
  appPath: string;
  isPackaged?: boolean;
  /** app.exit(code); recorded in state.exitCode first. */
  onExit?: (code: number) => void;
}

export function createFakeElectron(options: FakeElectronOptions) {
  const state = {
    handles: new Map<string, Fn>(),
    schemes: new Map<string, (request: Request) => Promise<Response>>(),
    windows: [] as Array<Listeners & { webContents: FakeContents; options: unknown }>,
    sent: [] as unknown[][],
    notes: [] as FakeNote[],
    drags: [] as unknown[],
    exposed: new Map<string, unknown>(),
    exitCode: null as number | null,
    app: createListeners(),
  };
  // What the main process sends to the window, delivered to the preload's ipcRenderer listeners.
  const rendererListeners = createListeners();
  class BrowserWindow {
    webContents: FakeContents;
    options: unknown;
    constructor(windowOptions: unknown) {
      this.webContents = Object.assign(createListeners(), {
        mainFrame: { url: '' },
        isDestroyed: () => false,
        send: (channel: string, ...args: unknown[]) => {
          state.sent.push([channel, ...args]);
          rendererListeners.emit(channel, {}, ...args);
        },
        setWindowOpenHandler: () => undefined,
        getURL: () => 'stemhook://app/index.html',
        startDrag: (item: unknown) => void state.drags.push(item),
      });
      this.options = windowOptions;
      Object.assign(this, createListeners());
      state.windows.push(this as never);
    }
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url;
      setImmediate(() => this.webContents.emit('did-finish-load'));
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    show = () => undefined;
    focus = () => undefined;
    setOverlayIcon = () => undefined;
  }
  class Notification {
    static isSupported = () => true;
    title: string;
    body: string;
    events = createListeners();
    constructor(note: { title: string; body: string }) {
      this.title = note.title;
      this.body = note.body;
    }
    on(name: string, fn: Fn) {
      this.events.on(name, fn);
    }
    show() {
      state.notes.push({ title: this.title, body: this.body, emit: (name) => this.events.emit(name) });
    }
    close() {}
  }
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((x) => x ^ 0x42));
  /** What Electron hands an IPC listener when the app's own window sent the message. */
  const fromAppWindow = () => {
    const contents = state.windows[0]?.webContents;
    return { sender: contents, senderFrame: contents?.mainFrame };
  };
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      const handler = state.handles.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(fromAppWindow(), ...args);
    },
    send: (channel: string, ...args: unknown[]) =>
      void state.handles.get(channel)?.(fromAppWindow(), ...args),
    on: (channel: string, fn: Fn) => rendererListeners.on(channel, fn),
    removeListener: (channel: string, fn: Fn) => rendererListeners.removeListener(channel, fn),
  };
  const electron = {
    app: Object.assign(state.app, {
      getAppPath: () => options.appPath,
      setPath: (name: string, path: string) => void state.sent.push(['setPath', name, path]),
      requestSingleInstanceLock: () => true,
      whenReady: async () => undefined,
      isReady: () => true,
      isPackaged: options.isPackaged ?? false,
      setAppUserModelId: () => undefined,
      quit: () => state.app.emit('before-quit', { preventDefault: () => undefined }),
      exit: (code: number) => {
        state.exitCode = code;
        options.onExit?.(code);
      },
      setBadgeCount: () => true,
    }),
    BrowserWindow,
    Notification,
    dialog: {
      showErrorBox: (title: string, text: string) => void state.sent.push(['error-box', title, text]),
    },
    ipcMain: {
      handle: (channel: string, fn: Fn) => void state.handles.set(channel, fn),
      removeHandler: (channel: string) => void state.handles.delete(channel),
      on: (channel: string, fn: Fn) => void state.handles.set(channel, fn),
      removeListener: (channel: string) => void state.handles.delete(channel),
    },
    ipcRenderer,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => void state.exposed.set(key, api),
    },
    webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
    protocol: {
      registerSchemesAsPrivileged: () => undefined,
      handle: (scheme: string, fn: (request: Request) => Promise<Response>) =>
        void state.schemes.set(scheme, fn),
    },
    session: {
      defaultSession: Object.assign(createListeners(), {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        setDevicePermissionHandler: () => undefined,
      }),
    },
    powerMonitor: createListeners(),
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => undefined },
    nativeImage: { createFromPath: () => ({ isEmpty: () => false }) },
    shell: { openExternal: async () => undefined, openPath: async () => '' },
    safeStorage: {
      isAsyncEncryptionAvailable: async () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptStringAsync: async (text: string) => xor(Buffer.from(text)),
      decryptStringAsync: async (data: Buffer) => ({ result: xor(data).toString(), shouldReEncrypt: false }),
    },
  };
  return { state, electron };
}
