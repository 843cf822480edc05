import { mount } from 'svelte';
import type { PreloadBridge } from '../../shared/client';
import App from './App.svelte';
import { createBridgeClient } from './lib/bridge-client';
import { clientContext } from './lib/context';
import { createWebClient, takeToken } from './lib/web-client';
import './styles/app.css';

declare global {
  interface Window {
    fixres?: PreloadBridge;
  }
}

// Two transports of one contract: the preload bridge in Electron, HTTP + WebSocket in web mode.
const client = window.fixres
  ? createBridgeClient(window.fixres)
  : createWebClient(location.origin, takeToken(location, sessionStorage, history));

mount(App, { target: document.getElementById('app')!, context: clientContext(client) });
