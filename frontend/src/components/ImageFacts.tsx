import type { Image } from "../api/types";
import { formatBytes, formatDateTime } from "../lib/format";
import { formatCamera, formatCoordinates, formatExposure, formatTakenAt, mapUrl } from "../lib/photoFacts";

/**
 * The viewer's details panel: the file, and what the camera wrote (date taken, camera and lens,
 * exposure, place). A fact the photo does not have is left out, not shown empty.
 */
export function ImageFacts({ image, showing }: { image: Image; showing: string | null }) {
  const taken = formatTakenAt(image.taken_at);
  const camera = formatCamera(image.camera);
  const lens = image.camera?.lens?.trim() ?? "";
  const exposure = formatExposure(image.exposure);
  const place = formatCoordinates(image.location);
  return (
    <aside className="viewer__info" aria-label="Photo details">
      <h2 className="viewer__info-title">Details</h2>
      <dl className="facts">
        <dt>File</dt>
        <dd>{image.filename}</dd>
        {taken && (
          <>
            <dt>Taken</dt>
            <dd>
              <time dateTime={taken.dateTime}>{taken.text}</time>
              {taken.zone && <span className="facts__aside"> ({taken.zone})</span>}
            </dd>
          </>
        )}
        {camera && (
          <>
            <dt>Camera</dt>
            <dd>{camera}</dd>
          </>
        )}
        {lens && (
          <>
            <dt>Lens</dt>
            <dd>{lens}</dd>
          </>
        )}
        {exposure && (
          <>
            <dt>Exposure</dt>
            <dd>{exposure}</dd>
          </>
        )}
        {place && image.location && (
          <>
            <dt>Location</dt>
            <dd>
              <a href={mapUrl(image.location)} target="_blank" rel="noopener noreferrer" className="facts__link">
                {place}
                <span className="visually-hidden"> (map on OpenStreetMap, opens in a new tab)</span>
              </a>
            </dd>
          </>
        )}
        <dt>Dimensions</dt>
        <dd>
          {image.width.toLocaleString()} × {image.height.toLocaleString()} px
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(image.bytes)}</dd>
        <dt>Type</dt>
        <dd>{image.content_type.replace("image/", "").toUpperCase()}</dd>
        <dt>Uploaded</dt>
        <dd>
          <time dateTime={image.created_at}>{formatDateTime(image.created_at)}</time>
        </dd>
        {showing && (
          <>
            <dt>Showing</dt>
            <dd>{showing}</dd>
          </>
        )}
      </dl>
    </aside>
  );
}
