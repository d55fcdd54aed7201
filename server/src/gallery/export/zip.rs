//! A ZIP archive written front to back, one whole file at a time, so it can
//! go straight into an upload that cannot seek: each file's header already
//! holds its CRC and size (no data descriptors, which some unzippers
//! mishandle), files are stored as they are (images are compressed already),
//! and ZIP64 records are added only when the archive passes 4 GiB.

use time::OffsetDateTime;

/// Entries and offsets past these limits need ZIP64 records.
const MAX_U16: u64 = 0xFFFF;
const MAX_U32: u64 = 0xFFFF_FFFF;
/// General-purpose flag: the file name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// Version needed to extract: 2.0 for plain stored files, 4.5 for ZIP64.
const VERSION_PLAIN: u16 = 20;
const VERSION_ZIP64: u16 = 45;
/// Version made by: Unix (3) in the high byte, so the permissions below count.
const MADE_BY_UNIX: u16 = (3 << 8) | VERSION_ZIP64;
/// A regular file readable by everyone (`-rw-r--r--`).
const FILE_MODE: u32 = 0o100_644 << 16;

/// What the central directory says of one file.
struct Entry {
    name: String,
    crc: u32,
    size: u32,
    offset: u64,
    time: u16,
    date: u16,
}

/// Writes the archive's bytes in order: [`Self::file_header`] then the file's
/// bytes, for each file, then [`Self::finish`].
#[derive(Default)]
pub struct ZipWriter {
    written: u64,
    entries: Vec<Entry>,
}

/// Why a file cannot go into the archive.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("{0} is 4 GiB or more")]
    FileTooLarge(String),
}

impl ZipWriter {
    /// The header that goes right before `data` in the archive.
    pub fn file_header(
        &mut self,
        name: &str,
        data: &[u8],
        modified: OffsetDateTime,
    ) -> Result<Vec<u8>, ZipError> {
        let size = u32::try_from(data.len())
            .ok()
            .filter(|&size| u64::from(size) < MAX_U32)
            .ok_or_else(|| ZipError::FileTooLarge(name.to_owned()))?;
        let (time, date) = dos_time(modified);
        let entry = Entry {
            name: name.to_owned(),
            crc: crc32fast::hash(data),
            size,
            offset: self.written,
            time,
            date,
        };
        let mut header = Vec::with_capacity(30 + name.len());
        put32(&mut header, 0x0403_4b50);
        put16(&mut header, VERSION_PLAIN);
        put16(&mut header, UTF8_NAMES);
        put16(&mut header, 0); // stored
        put16(&mut header, entry.time);
        put16(&mut header, entry.date);
        put32(&mut header, entry.crc);
        put32(&mut header, entry.size);
        put32(&mut header, entry.size);
        put16(&mut header, name.len() as u16);
        put16(&mut header, 0);
        header.extend_from_slice(name.as_bytes());
        self.written += header.len() as u64 + u64::from(size);
        self.entries.push(entry);
        Ok(header)
    }

    /// The central directory and end records, which close the archive.
    pub fn finish(self) -> Vec<u8> {
        let directory_offset = self.written;
        let mut out = Vec::new();
        for entry in &self.entries {
            let far = entry.offset >= MAX_U32;
            put32(&mut out, 0x0201_4b50);
            put16(&mut out, MADE_BY_UNIX);
            put16(&mut out, if far { VERSION_ZIP64 } else { VERSION_PLAIN });
            put16(&mut out, UTF8_NAMES);
            put16(&mut out, 0);
            put16(&mut out, entry.time);
            put16(&mut out, entry.date);
            put32(&mut out, entry.crc);
            put32(&mut out, entry.size);
            put32(&mut out, entry.size);
            put16(&mut out, entry.name.len() as u16);
            put16(&mut out, if far { 12 } else { 0 });
            put16(&mut out, 0); // comment
            put16(&mut out, 0); // disk
            put16(&mut out, 0); // internal attributes
            put32(&mut out, FILE_MODE);
            put32(&mut out, entry.offset.min(MAX_U32) as u32);
            out.extend_from_slice(entry.name.as_bytes());
            if far {
                // ZIP64 extra field holding only the offset, the one field that overflowed.
                put16(&mut out, 0x0001);
                put16(&mut out, 8);
                put64(&mut out, entry.offset);
            }
        }
        let directory_size = out.len() as u64;
        let count = self.entries.len() as u64;
        let needs_zip64 =
            count >= MAX_U16 || directory_offset >= MAX_U32 || directory_size >= MAX_U32;
        if needs_zip64 {
            let record_offset = directory_offset + directory_size;
            put32(&mut out, 0x0606_4b50);
            put64(&mut out, 44);
            put16(&mut out, MADE_BY_UNIX);
            put16(&mut out, VERSION_ZIP64);
            put32(&mut out, 0);
            put32(&mut out, 0);
            put64(&mut out, count);
            put64(&mut out, count);
            put64(&mut out, directory_size);
            put64(&mut out, directory_offset);
            // The locator of the record above.
            put32(&mut out, 0x0706_4b50);
            put32(&mut out, 0);
            put64(&mut out, record_offset);
            put32(&mut out, 1);
        }
        put32(&mut out, 0x0605_4b50);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, count.min(MAX_U16) as u16);
        put16(&mut out, count.min(MAX_U16) as u16);
        put32(&mut out, directory_size.min(MAX_U32) as u32);
        put32(&mut out, directory_offset.min(MAX_U32) as u32);
        put16(&mut out, 0);
        out
    }

    /// Bytes of the archive so far, not counting [`Self::finish`]'s.
    pub fn written(&self) -> u64 {
        self.written
    }
}

/// MS-DOS time and date (2-second steps, 1980 to 2107), as ZIP keeps them.
fn dos_time(at: OffsetDateTime) -> (u16, u16) {
    let at = at.to_offset(time::UtcOffset::UTC);
    let year = at.year().clamp(1980, 2107);
    if year != at.year() {
        return (0, if year == 1980 { 0x21 } else { 0xFF9F });
    }
    let time =
        (u16::from(at.hour()) << 11) | (u16::from(at.minute()) << 5) | u16::from(at.second() / 2);
    let date = (((year - 1980) as u16) << 9)
        | (u16::from(u8::from(at.month())) << 5)
        | u16::from(at.day());
    (time, date)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use time::macros::datetime;

    use super::*;

    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::default();
        let mut out = Vec::new();
        for (name, data) in files {
            out.extend(
                zip.file_header(name, data, datetime!(2026-12-02 16:41:07 UTC))
                    .unwrap(),
            );
            out.extend_from_slice(data);
        }
        assert_eq!(zip.written(), out.len() as u64);
        out.extend(zip.finish());
        out
    }

    #[test]
    fn a_reader_finds_every_file_byte_for_byte() {
        let image: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let bytes = archive(&[
            ("images/20261202T164107Z_01J.jpg", &image),
            ("recipes.json", b"{\"format\":\"promptcanvas.recipes/1\"}"),
            ("café.txt", b""),
        ]);
        let mut reader = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(reader.len(), 3);
        let mut file = reader.by_name("images/20261202T164107Z_01J.jpg").unwrap();
        let mut read = Vec::new();
        file.read_to_end(&mut read).unwrap();
        assert_eq!(read, image);
        let modified = file.last_modified().unwrap();
        assert_eq!(
            (
                modified.year(),
                modified.month(),
                modified.day(),
                modified.hour(),
                modified.minute(),
                modified.second()
            ),
            (2026, 12, 2, 16, 41, 6)
        );
        drop(file);
        assert_eq!(reader.by_name("café.txt").unwrap().size(), 0);
    }

    #[test]
    fn a_far_offset_goes_into_zip64_records() {
        let mut zip = ZipWriter {
            written: 5 << 30,
            entries: Vec::new(),
        };
        zip.file_header("a.jpg", b"abc", datetime!(2026-01-01 0:00 UTC))
            .unwrap();
        let end = zip.finish();
        // The entry's offset points into the extra field, the end record to the ZIP64 record.
        let extra = end
            .windows(4)
            .position(|w| w == [1, 0, 8, 0])
            .expect("a ZIP64 extra field");
        assert_eq!(
            u64::from_le_bytes(end[extra + 4..extra + 12].try_into().unwrap()),
            5 << 30
        );
        assert!(end.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()));
        assert!(end.windows(4).any(|w| w == 0x0706_4b50u32.to_le_bytes()));
        let tail = &end[end.len() - 22..];
        assert_eq!(&tail[16..20], &0xFFFF_FFFFu32.to_le_bytes());
    }
}
