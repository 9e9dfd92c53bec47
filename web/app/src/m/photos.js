// Photos on the phone: the taken-at time and GPS position are read from the original's EXIF (before resizing drops
// them), then the picture is redrawn as a JPEG of at most 1600 px on its longer side.

const MAX_SIDE = 1600;

/**
 * @param {Blob} file
 * @returns {Promise<{ takenAt?: string, latitude?: number, longitude?: number }>}
 */
export async function readExif(file) {
  try {
    const head = new DataView(await file.slice(0, 256 * 1024).arrayBuffer());
    if (head.getUint16(0) !== 0xffd8) return {};
    let at = 2;
    while (at + 4 < head.byteLength) {
      const marker = head.getUint16(at);
      const length = head.getUint16(at + 2);
      if (marker === 0xffe1 && head.getUint32(at + 4) === 0x45786966) return tiff(head, at + 10);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) break;
      at += 2 + length;
    }
  } catch (e) { /* no readable EXIF */ }
  return {};
}

function tiff(/** @type {DataView} */ v, /** @type {number} */ start) {
  const little = v.getUint16(start) === 0x4949;
  const u16 = (/** @type {number} */ o) => v.getUint16(start + o, little);
  const u32 = (/** @type {number} */ o) => v.getUint32(start + o, little);
  /** @returns {Map<number, { type: number, count: number, at: number }>} */
  const ifd = (/** @type {number} */ o) => {
    const tags = new Map();
    const n = u16(o);
    for (let i = 0; i < n; i++) {
      const e = o + 2 + i * 12;
      tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), at: e + 8 });
    }
    return tags;
  };
  const ascii = (/** @type {{ count: number, at: number }} */ t) => {
    const o = t.count > 4 ? u32(t.at) : t.at;
    let s = "";
    for (let i = 0; i < t.count - 1; i++) s += String.fromCharCode(v.getUint8(start + o + i));
    return s;
  };
  const rationals = (/** @type {{ at: number }} */ t) => {
    const o = u32(t.at);
    return [0, 1, 2].map((i) => u32(o + i * 8) / (u32(o + i * 8 + 4) || 1));
  };
  const root = ifd(u32(4));
  /** @type {{ takenAt?: string, latitude?: number, longitude?: number }} */
  const out = {};
  const exifAt = root.get(0x8769);
  if (exifAt) {
    const original = ifd(u32(exifAt.at)).get(0x9003) || root.get(0x0132);
    const m = original && ascii(original).match(/^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/);
    if (m) {
      // EXIF has no zone: the camera's clock is the phone's, so its local time
      const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
      const off = -d.getTimezoneOffset();
      const pad = (/** @type {number} */ n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
      out.takenAt = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off >= 0 ? "+" : "-"}${pad(off / 60)}:${pad(off % 60)}`;
    }
  }
  const gpsAt = root.get(0x8825);
  if (gpsAt) {
    const g = ifd(u32(gpsAt.at));
    const lat = g.get(2), lon = g.get(4), latRef = g.get(1), lonRef = g.get(3);
    if (lat && lon) {
      const deg = (/** @type {number[]} */ r) => r[0] + r[1] / 60 + r[2] / 3600;
      const ref = (/** @type {any} */ t) => (t ? String.fromCharCode(v.getUint8(start + t.at)) : "");
      out.latitude = Math.round(deg(rationals(lat)) * (ref(latRef) === "S" ? -1 : 1) * 1e6) / 1e6;
      out.longitude = Math.round(deg(rationals(lon)) * (ref(lonRef) === "W" ? -1 : 1) * 1e6) / 1e6;
    }
  }
  return out;
}

/** The picture as a JPEG whose longer side is at most 1600 px. */
export async function resize(/** @type {Blob} */ file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("照片无法处理"))), "image/jpeg", 0.85));
}
