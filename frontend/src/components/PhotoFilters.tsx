import { useEffect, useRef, useState } from "react";
import type { ImageFilters, ImageSort } from "../hooks/useImageFilters";
import { CloseIcon, SearchIcon } from "./icons";

/** How long typing may pause before the search goes out. */
export const SEARCH_DEBOUNCE_MS = 300;

const SORTS: { value: ImageSort; label: string; title: string }[] = [
  { value: "created_at", label: "Uploaded", title: "Newest uploads first" },
  { value: "taken_at", label: "Taken", title: "Newest taken first (photos without a date last)" },
];

export interface PhotoFiltersProps {
  filters: ImageFilters;
  onSort: (sort: ImageSort) => void;
  onQuery: (q: string) => void;
}

/**
 * The sort toggle (Uploaded / Taken) and the file-name search of a photo listing. The search
 * goes out once typing pauses; Escape or the clear button empties it at once.
 */
export function PhotoFilters({ filters, onSort, onQuery }: PhotoFiltersProps) {
  const [text, setText] = useState(filters.q);
  const [seenQ, setSeenQ] = useState(filters.q);
  const input = useRef<HTMLInputElement>(null);
  const onQueryRef = useRef(onQuery);
  useEffect(() => {
    onQueryRef.current = onQuery;
  });
  // The URL changed under us (back button, a link): show what it says.
  if (seenQ !== filters.q) {
    setSeenQ(filters.q);
    if (text.trim() !== filters.q) setText(filters.q);
  }

  useEffect(() => {
    if (text.trim() === filters.q) return;
    const timer = window.setTimeout(() => onQueryRef.current(text), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, filters.q]);

  const clear = () => {
    setText("");
    if (filters.q) onQuery("");
    input.current?.focus();
  };

  return (
    <div className="photo-filters">
      <div className="segmented segmented--light" role="group" aria-label="Sort photos by">
        {SORTS.map((option) => (
          <button
            key={option.value}
            type="button"
            className="segmented__option"
            aria-pressed={filters.sort === option.value}
            title={option.title}
            onClick={() => onSort(option.value)}
          >
            {option.label}
          </button>
        ))}
      </div>
      <form
        className="photo-search"
        role="search"
        aria-label="Photos"
        onSubmit={(event) => {
          event.preventDefault();
          onQuery(text);
        }}
      >
        <SearchIcon size={18} className="photo-search__icon" />
        <input
          ref={input}
          type="search"
          className="photo-search__input"
          aria-label="Search by file name"
          placeholder="Search names"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && text !== "") {
              event.preventDefault();
              event.stopPropagation();
              clear();
            }
          }}
        />
        {text !== "" && (
          <button
            type="button"
            className="photo-search__clear"
            aria-label="Clear search"
            title="Clear search (Esc)"
            onClick={clear}
          >
            <CloseIcon size={16} />
          </button>
        )}
      </form>
    </div>
  );
}
