import { useEffect, useId, useState } from 'react';

export interface FilterOption {
  value: string;
  label?: string;
  count?: number;
}

export interface SelectFilterProps {
  label: string;
  value: string | undefined;
  options: FilterOption[];
  onChange: (value: string | undefined) => void;
  /** The label of the empty choice. */
  allLabel?: string;
}

/** A labelled single-choice filter; the empty choice means "any". */
export function SelectFilter({ label, value, options, onChange, allLabel = 'All' }: SelectFilterProps) {
  const id = useId();
  const known = value === undefined || options.some((o) => o.value === value);
  return (
    <div className="pt-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{allLabel}</option>
        {!known && value !== undefined && <option value={value}>{value}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label ?? o.value}
            {o.count !== undefined ? ` (${o.count})` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface TextFilterProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  /** Waits this long after the last keystroke before calling onChange. */
  debounceMs?: number;
}

/** A labelled search box that reports its text after the user stops typing. */
export function TextFilter({ label, value, onChange, placeholder, debounceMs = 300 }: TextFilterProps) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), debounceMs);
    return () => clearTimeout(timer);
  }, [text, value, onChange, debounceMs]);
  return (
    <div className="pt-filter">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onChange(text);
        }}
      />
    </div>
  );
}
