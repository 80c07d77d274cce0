import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorPanel } from './ErrorPanel.js';

export interface ErrorBoundaryProps {
  children: ReactNode;
  title?: string;
  /** Called before the children render again after Retry (e.g. to forget a failed module load). */
  onRetry?: () => void;
  /** The boundary resets when this changes (e.g. the route). */
  resetKey?: unknown;
}

interface State {
  error?: Error;
  resetKey?: unknown;
}

/** Catches what its children throw while rendering and shows an error panel with Retry in their place. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: undefined, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for developers; the user sees the panel.
    void error;
    void info;
  }

  private readonly retry = () => {
    this.props.onRetry?.();
    this.setState({ error: undefined });
  };

  override render() {
    if (this.state.error) {
      return <ErrorPanel title={this.props.title} error={this.state.error} onRetry={this.retry} />;
    }
    return this.props.children;
  }
}
