import { describe, expect, it, vi } from "vitest";
import { formatCamera, formatCoordinates, formatExposure, formatTakenAt, mapUrl } from "../photoFacts";

describe("date taken", () => {
  it("shows the wall-clock time the camera wrote, with its offset named, not converted", () => {
    const taken = formatTakenAt("2024-06-01T18:30:00+09:00", "en-GB");
    expect(taken).toEqual({
      text: "1 June 2024 at 18:30",
      zone: "UTC+9",
      dateTime: "2024-06-01T18:30:00+09:00",
    });
  });

  it("names half-hour and negative offsets and UTC", () => {
    expect(formatTakenAt("2024-01-05T07:05:09+05:30", "en-GB")?.zone).toBe("UTC+5:30");
    expect(formatTakenAt("2024-01-05T07:05:09-04:00", "en-GB")?.zone).toBe("UTC−4");
    expect(formatTakenAt("2024-01-05T07:05:09Z", "en-GB")?.zone).toBe("UTC");
    expect(formatTakenAt("2024-01-05T07:05:09+00:00", "en-GB")?.zone).toBe("UTC");
    expect(formatTakenAt("2024-01-05T07:05:09.250-04:00", "en-GB")?.text).toBe("5 January 2024 at 07:05");
  });

  it("-00:00 (unknown offset) is the camera's local time as written, with no zone", () => {
    const taken = formatTakenAt("2023-12-31T23:59:00-00:00", "en-GB");
    expect(taken).toEqual({ text: "31 December 2023 at 23:59", zone: null, dateTime: "2023-12-31T23:59:00" });
  });

  it("does not depend on the viewer's time zone", () => {
    vi.stubEnv("TZ", "America/Los_Angeles");
    try {
      expect(formatTakenAt("2024-06-01T00:30:00-00:00", "en-GB")?.text).toBe("1 June 2024 at 00:30");
      expect(formatTakenAt("2024-06-01T00:30:00+02:00", "en-GB")?.text).toBe("1 June 2024 at 00:30");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("is null when there is no date or it is not RFC 3339", () => {
    expect(formatTakenAt(null)).toBeNull();
    expect(formatTakenAt("")).toBeNull();
    expect(formatTakenAt("2024:06:01 18:30:00")).toBeNull();
  });
});

describe("exposure", () => {
  it("reads like a photographer writes it", () => {
    expect(formatExposure({ f_number: 1.8, exposure_time: "1/250", iso: 100, focal_length_mm: 26 })).toBe(
      "f/1.8 · 1/250 s · ISO 100 · 26 mm",
    );
  });

  it("rounds the aperture to one decimal and short focal lengths to one", () => {
    expect(formatExposure({ f_number: 1.78, exposure_time: "2.5", iso: 1600, focal_length_mm: 6.765 })).toBe(
      "f/1.8 · 2.5 s · ISO 1600 · 6.8 mm",
    );
    expect(formatExposure({ f_number: 11, exposure_time: null, iso: null, focal_length_mm: 50.4 })).toBe("f/11 · 50 mm");
  });

  it("leaves out what the file does not have; nothing at all is null", () => {
    expect(formatExposure({ f_number: null, exposure_time: "1/60", iso: null, focal_length_mm: null })).toBe("1/60 s");
    expect(formatExposure({ f_number: null, exposure_time: null, iso: null, focal_length_mm: null })).toBeNull();
    expect(formatExposure(null)).toBeNull();
  });
});

describe("camera and place", () => {
  it("says make and model once", () => {
    expect(formatCamera({ make: "Apple", model: "iPhone 15 Pro", lens: null })).toBe("Apple iPhone 15 Pro");
    expect(formatCamera({ make: "Canon", model: "Canon EOS R5", lens: null })).toBe("Canon EOS R5");
    expect(formatCamera({ make: "NIKON CORPORATION", model: "NIKON D850", lens: null })).toBe("NIKON D850");
    expect(formatCamera({ make: null, model: "X100V", lens: null })).toBe("X100V");
    expect(formatCamera({ make: "FUJIFILM", model: null, lens: "XF23mm" })).toBe("FUJIFILM");
    expect(formatCamera({ make: null, model: null, lens: "XF23mm" })).toBeNull();
    expect(formatCamera(null)).toBeNull();
  });

  it("writes coordinates with hemispheres and links to OpenStreetMap", () => {
    expect(formatCoordinates({ latitude: 48.858370, longitude: 2.294481 })).toBe("48.85837° N, 2.29448° E");
    expect(formatCoordinates({ latitude: -33.856784, longitude: -70.65 })).toBe("33.85678° S, 70.65000° W");
    expect(formatCoordinates(null)).toBeNull();
    expect(mapUrl({ latitude: 48.85837, longitude: 2.294481 })).toBe(
      "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=15/48.85837/2.29448",
    );
  });
});
