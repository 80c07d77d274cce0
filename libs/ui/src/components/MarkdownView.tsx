import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';

const SAFE_LINK = /^(?:https?:|mailto:|#|\/|\.{0,2}\/)|^[^:]*$/i;

// Raw HTML off: anything that looks like a tag is shown as text. Links only to safe targets.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
const defaultValidate = markdown.validateLink.bind(markdown);
markdown.validateLink = (url: string) => defaultValidate(url) && SAFE_LINK.test(url.trim());
const defaultLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (/^https?:/i.test(String(token.attrGet('href') ?? ''))) {
    token.attrSet('rel', 'noopener noreferrer nofollow');
    token.attrSet('target', '_blank');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Renders markdown (CommonMark and tables) without raw HTML; only http(s), mailto and relative links. */
export function MarkdownView({ content, className }: { content: string; className?: string }) {
  const html = useMemo(() => markdown.render(content), [content]);
  return (
    <div className={`pt-markdown ${className ?? ''}`.trim()} dangerouslySetInnerHTML={{ __html: html }} />
  );
}
