import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { AuthSession, Identity } from '../api/auth-session.js';
import type { PortalApi } from '../api/portal-api.js';

/** What the shell gives every page and remote: the API client and the user's session. */
export interface PortalServices {
  api: PortalApi;
  session: AuthSession;
}

const PortalContext = createContext<PortalServices | undefined>(undefined);

export function PortalProvider({ api, session, children }: PortalServices & { children: ReactNode }) {
  return <PortalContext.Provider value={{ api, session }}>{children}</PortalContext.Provider>;
}

function usePortalServices(): PortalServices {
  const services = useContext(PortalContext);
  if (!services) {
    throw new Error('No PortalProvider above this component: is @portal/ui shared as a singleton?');
  }
  return services;
}

/** The API client: calls `/api/<plugin>/…` through the gateway with the user's token. */
export function usePortalApi(): PortalApi {
  return usePortalServices().api;
}

export function useAuthSession(): AuthSession {
  return usePortalServices().session;
}

/** The signed-in user (re-renders when it changes); undefined when signed out. */
export function useIdentity(): Identity | undefined {
  const session = useAuthSession();
  return useSyncExternalStore(
    (onChange) => session.subscribe(onChange),
    () => session.identity,
  );
}
