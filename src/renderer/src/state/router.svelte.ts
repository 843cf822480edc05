import { parseRoute, routeHash, type Route } from '../lib/routes';

/** Where the route is stored: the window's location hash in the app, a plain string in tests. */
export interface HashSource {
  read(): string;
  write(hash: string): void;
  /** Calls back when the hash changes from outside (back/forward, typed URL); returns the unsubscribe. */
  subscribe(onChange: () => void): () => void;
}

/** The window's location hash as a HashSource. */
export function windowHash(win: Window): HashSource {
  return {
    read: () => win.location.hash,
    write: (hash) => {
      if (win.location.hash !== hash) win.location.hash = hash;
    },
    subscribe: (onChange) => {
      win.addEventListener('hashchange', onChange);
      return () => win.removeEventListener('hashchange', onChange);
    },
  };
}

/** Hash routing: deep links like `#/runs/12` survive a reload, back/forward move between views. */
export class Router {
  #source: HashSource;
  #route = $state<Route>({ view: 'datasets' });

  constructor(source: HashSource) {
    this.#source = source;
    this.#route = parseRoute(source.read());
  }

  get route(): Route {
    return this.#route;
  }

  /** Follows hash changes made outside the app; returns the unsubscribe. */
  listen(): () => void {
    return this.#source.subscribe(() => (this.#route = parseRoute(this.#source.read())));
  }

  go(route: Route): void {
    this.#route = route;
    this.#source.write(routeHash(route));
  }

  /** The href for a link to a route. */
  href(route: Route): string {
    return routeHash(route);
  }

  reset(): void {
    this.#route = parseRoute(this.#source.read());
  }
}
