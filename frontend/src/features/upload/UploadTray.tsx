import { useRef, useState } from "react";
import { AlertIcon, CheckIcon, CloseIcon, PlusIcon, UploadIcon } from "../../components/icons";
import { formatBytes, plural } from "../../lib/format";
import { ACCEPT_ATTRIBUTE } from "./limits";
import { isBusy, summarise, type QueueItem } from "./queue";
import type { UploadQueue } from "./useUploadQueue";

/**
 * The upload panel: previews before sending, then a bar per file and one overall, and what the
 * server said of each file next to it.
 */
export function UploadTray({ queue, target, onClose }: { queue: UploadQueue; target: string; onClose: () => void }) {
  const summary = summarise(queue.items);
  const picker = useRef<HTMLInputElement>(null);
  if (summary.total === 0) return null;
  const started = summary.busy + summary.done + summary.failed > 0;
  const finished = started && !queue.running && summary.busy === 0;
  const percent = Math.round(summary.progress * 100);

  const heading = queue.running
    ? `Uploading ${plural(summary.busy + summary.ready, "photo")}…`
    : finished && summary.ready === 0
      ? summary.failed + summary.invalid > 0
        ? `${plural(summary.done, "photo")} uploaded, ${summary.failed + summary.invalid} not`
        : `${plural(summary.done, "photo")} uploaded`
      : `Ready to upload ${plural(summary.ready, "photo")}`;

  return (
    <section className="upload-tray" aria-labelledby="upload-tray-title">
      <header className="upload-tray__header">
        <div>
          <h2 id="upload-tray-title" className="upload-tray__title">
            {heading}
          </h2>
          <p className="upload-tray__target">to {target}</p>
        </div>
        <button
          type="button"
          className="icon-button"
          aria-label="Close upload panel"
          title="Close upload panel"
          disabled={queue.running}
          onClick={() => {
            queue.clearFinished();
            onClose();
          }}
        >
          <CloseIcon />
        </button>
      </header>

      {started && (
        <div className="upload-tray__overall">
          <div
            className="progress"
            role="progressbar"
            aria-label="Overall upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <div className="progress__bar" style={{ width: `${percent}%` }} />
          </div>
          <span className="upload-tray__percent">{percent}%</span>
        </div>
      )}

      <ul className="upload-list" aria-label="Files to upload">
        {queue.items.map((item) => (
          <UploadRow key={item.id} item={item} onRemove={queue.remove} />
        ))}
      </ul>

      <footer className="upload-tray__footer">
        <input
          ref={picker}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            queue.add(Array.from(e.target.files ?? []));
            e.target.value = "";
          }}
        />
        <button type="button" className="button button--ghost" disabled={queue.running} onClick={() => picker.current?.click()}>
          <PlusIcon size={18} /> Add more
        </button>
        {summary.ready > 0 ? (
          <button type="button" className="button button--primary" disabled={queue.running} onClick={() => void queue.start()}>
            <UploadIcon size={18} /> Upload {plural(summary.ready, "photo")}
          </button>
        ) : (
          finished && (
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                queue.clearFinished();
                onClose();
              }}
            >
              Done
            </button>
          )
        )}
      </footer>
    </section>
  );
}

function UploadRow({ item, onRemove }: { item: QueueItem; onRemove: (id: string) => void }) {
  const [broken, setBroken] = useState(false);
  const percent = item.file.size > 0 ? Math.round((item.sent / item.file.size) * 100) : 0;
  const status = rowStatus(item, percent);
  const errorId = `${item.id}-error`;
  return (
    <li className={`upload-row is-${item.status}`} aria-describedby={item.error ? errorId : undefined}>
      <span className="upload-row__thumb">
        {item.preview && !broken ? (
          <img src={item.preview} alt="" onError={() => setBroken(true)} />
        ) : (
          <AlertIcon size={20} />
        )}
      </span>
      <span className="upload-row__body">
        <span className="upload-row__name" title={item.file.name}>
          {item.file.name}
        </span>
        <span className="upload-row__meta">
          {formatBytes(item.file.size)} · {status}
        </span>
        {isBusy(item) && (
          <span
            className="progress progress--small"
            role="progressbar"
            aria-label={`Progress of ${item.file.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={item.status === "processing" ? 100 : percent}
          >
            <span
              className={item.status === "processing" ? "progress__bar is-indeterminate" : "progress__bar"}
              style={{ width: `${item.status === "processing" ? 100 : percent}%` }}
            />
          </span>
        )}
        {item.error && (
          <span id={errorId} className="upload-row__error" role="alert">
            {item.error}
          </span>
        )}
      </span>
      <span className="upload-row__end">
        {item.status === "done" && <CheckIcon size={18} className="upload-row__ok" />}
        {(item.status === "ready" || item.status === "invalid") && (
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={`Remove ${item.file.name}`}
            title={`Remove ${item.file.name}`}
            onClick={() => onRemove(item.id)}
          >
            <CloseIcon size={16} />
          </button>
        )}
      </span>
    </li>
  );
}

function rowStatus(item: QueueItem, percent: number): string {
  switch (item.status) {
    case "invalid":
      return "won't be uploaded";
    case "ready":
      return "ready";
    case "uploading":
      return `${percent}%`;
    case "processing":
      return "processing…";
    case "done":
      return "uploaded";
    case "failed":
      return "not uploaded";
  }
}
