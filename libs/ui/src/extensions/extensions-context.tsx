import {
  createContext,
  lazy,
  Suspense,
  useContext,
  useMemo,
  type ComponentType,
  type ReactNode,
} from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { Loading } from '../components/Loading.js';
import type { EntityLike } from './entity-ref.js';

/** Props of an entity tab or card module's default export. */
export interface EntityExtensionProps {
  entity: EntityLike;
}

/** What an entity tab/card module exports: a component that receives the entity. */
export interface EntityExtensionModule {
  default: ComponentType<EntityExtensionProps>;
}

/** A tab or card one plugin's manifest contributes to the entity page. */
export interface EntityExtension {
  /** `<pluginId>:<module>`, unique. */
  id: string;
  pluginId: string;
  title: string;
  /** The tab's path segment (tabs only). */
  path?: string;
  /** Lower-case kinds it applies to; all kinds when absent. */
  kinds?: string[];
  /** Shown only when the entity has this annotation. */
  ifAnnotation?: string;
  load: () => Promise<EntityExtensionModule>;
}

/** An installed plugin, as the shell learnt it from discovery. */
export interface InstalledPluginSummary {
  id: string;
  title?: string;
  version: string;
  hasUi: boolean;
}

export interface PluginExtensions {
  plugins: InstalledPluginSummary[];
  entityTabs: EntityExtension[];
  entityCards: EntityExtension[];
}

const ExtensionsContext = createContext<PluginExtensions>({ plugins: [], entityTabs: [], entityCards: [] });

export function PluginExtensionsProvider({
  value,
  children,
}: {
  value: PluginExtensions;
  children: ReactNode;
}) {
  return <ExtensionsContext.Provider value={value}>{children}</ExtensionsContext.Provider>;
}

export function useInstalledPlugins(): InstalledPluginSummary[] {
  return useContext(ExtensionsContext).plugins;
}

/** Whether an extension applies to the entity (its kinds and annotation condition). */
export function extensionAppliesTo(extension: EntityExtension, entity: EntityLike): boolean {
  const kinds = extension.kinds?.map((k) => k.toLowerCase());
  if (kinds && kinds.length && !kinds.includes(entity.kind.toLowerCase())) return false;
  if (extension.ifAnnotation && !entity.metadata.annotations?.[extension.ifAnnotation]) return false;
  return true;
}

/** The tabs or cards other plugins contribute for this entity. */
export function useEntityExtensions(slot: 'tabs' | 'cards', entity: EntityLike): EntityExtension[] {
  const all = useContext(ExtensionsContext);
  const list = slot === 'tabs' ? all.entityTabs : all.entityCards;
  return useMemo(() => list.filter((e) => extensionAppliesTo(e, entity)), [list, entity]);
}

const lazyComponents = new Map<string, ComponentType<EntityExtensionProps>>();

function lazyComponentOf(extension: EntityExtension): ComponentType<EntityExtensionProps> {
  let component = lazyComponents.get(extension.id);
  if (!component) {
    component = lazy(extension.load);
    lazyComponents.set(extension.id, component);
  }
  return component;
}

/**
 * Renders a contributed tab or card, loaded on first use, inside its own error boundary: a plugin
 * whose module fails to load or throws shows an error panel with Retry, and nothing else breaks.
 */
export function EntityExtensionView({
  extension,
  entity,
}: {
  extension: EntityExtension;
  entity: EntityLike;
}) {
  return (
    <ErrorBoundary
      title={`${extension.title} could not be shown`}
      onRetry={() => lazyComponents.delete(extension.id)}
    >
      <Suspense fallback={<Loading label={`Loading ${extension.title}…`} />}>
        <ExtensionBody extension={extension} entity={entity} />
      </Suspense>
    </ErrorBoundary>
  );
}

function ExtensionBody({ extension, entity }: { extension: EntityExtension; entity: EntityLike }) {
  const Component = lazyComponentOf(extension);
  return <Component entity={entity} />;
}
