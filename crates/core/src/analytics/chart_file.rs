//! A chart of the Analytics page saved as the PNG or SVG file the user named. The page draws
//! the image; the core checks that it is the kind the name says and writes it whole.

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::{Casebook, Error, Result};

/// The largest image the page may hand over (a chart is tens of kilobytes).
pub const MAX_CHART_BYTES: usize = 20 * 1024 * 1024;

/// The image in a `data:` URL, if it is the kind `ext` names.
fn decode(data_url: &str, ext: &str) -> Result<Vec<u8>> {
    let bad = |m: &str| Error::validation("image", m.to_string());
    if data_url.len() > MAX_CHART_BYTES * 4 / 3 + 64 {
        return Err(bad(&format!("at most {} MB", MAX_CHART_BYTES / (1024 * 1024))));
    }
    let (head, body) = data_url.split_once(',').ok_or_else(|| bad("must be a data: URL"))?;
    let mime = match ext {
        "png" => "data:image/png",
        "svg" => "data:image/svg+xml",
        _ => unreachable!("checked by the caller"),
    };
    if !head.starts_with(mime) {
        return Err(bad(&format!("is not the {} image the file name asks for", ext.to_uppercase())));
    }
    let bytes = if head.ends_with(";base64") {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|e| bad(&format!("is not valid base64 ({e})")))?
    } else {
        percent_encoding::percent_decode_str(body).collect()
    };
    let looks_right = match ext {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        _ => std::str::from_utf8(&bytes).is_ok_and(|s| s.trim_start().starts_with('<') && s.contains("<svg")),
    };
    if !looks_right {
        return Err(bad(&format!("is not a {} image", ext.to_uppercase())));
    }
    Ok(bytes)
}

impl Casebook {
    /// Writes a chart image to `path` (`.png` or `.svg`), replacing it only once written.
    pub fn save_chart(&self, path: &Path, data_url: &str) -> Result<()> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if ext != "png" && ext != "svg" {
            return Err(Error::validation("path", format!("must end in .png or .svg (got {})", path.display())));
        }
        let bytes = decode(data_url, &ext)?;
        let cannot = |e: std::io::Error| Error::validation("path", format!("cannot write {}: {e}", path.display()));
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(cannot)?;
        tmp.write_all(&bytes).map_err(cannot)?;
        tmp.persist(path).map_err(|e| cannot(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_kind_the_name_says_is_accepted() {
        let png = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\nrest")
        );
        assert!(decode(&png, "png").is_ok());
        assert!(decode(&png, "svg").unwrap_err().to_string().contains("SVG"));
        let svg = "data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D%22x%22%3E%3C%2Fsvg%3E";
        assert_eq!(decode(svg, "svg").unwrap(), b"<svg xmlns=\"x\"></svg>");
        assert!(decode("data:image/png;base64,aGVsbG8=", "png").unwrap_err().to_string().contains("not a PNG"));
        assert!(decode("nope", "png").is_err());
    }

    #[test]
    fn a_chart_is_written_whole_to_a_png_or_svg_name() {
        let dir = tempfile::tempdir().unwrap();
        let book = Casebook::open(dir.path().join("c.db")).unwrap();
        let to = dir.path().join("trend.svg");
        book.save_chart(&to, "data:image/svg+xml,%3Csvg%3E%3C%2Fsvg%3E").unwrap();
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "<svg></svg>");
        let e = book.save_chart(&dir.path().join("trend.txt"), "data:image/svg+xml,%3Csvg%3E").unwrap_err();
        assert!(e.to_string().contains(".png or .svg"), "{e}");
    }
}
