//! The images a bundle carries: its screenshots (PNG or JPEG, base64) and
//! its thumbnail (small, so that a list of reports can show it without
//! reading the bundle).

use super::{check_string, fail};
use crate::{Limits, Screenshot, ValidationError, THUMBNAIL_MAX_BASE64, THUMBNAIL_MAX_SIDE};

/// Check the bundle's thumbnail: a small image, so that a list of reports
/// can show it without reading the bundle.
pub(super) fn validate_thumbnail(shot: &Screenshot) -> Result<(), ValidationError> {
    if !matches!(
        shot.mime.as_str(),
        "image/webp" | "image/png" | "image/jpeg"
    ) {
        return fail(
            "thumbnail.mime",
            "must be image/webp, image/png or image/jpeg",
        );
    }
    for (field, side) in [("width", shot.width), ("height", shot.height)] {
        if side == 0 || side > THUMBNAIL_MAX_SIDE {
            return fail(
                format!("thumbnail.{field}"),
                format!("must be 1 to {THUMBNAIL_MAX_SIDE} pixels"),
            );
        }
    }
    if shot.data.len() > THUMBNAIL_MAX_BASE64 {
        return fail(
            "thumbnail.data",
            format!(
                "is {} base64 characters; at most {THUMBNAIL_MAX_BASE64}",
                shot.data.len()
            ),
        );
    }
    if !crate::dom::is_base64(&shot.data) {
        return fail("thumbnail.data", "must be base64");
    }
    Ok(())
}

/// Check screenshot `i`.
pub(crate) fn validate_screenshot(
    i: usize,
    shot: &Screenshot,
    limits: &Limits,
) -> Result<(), ValidationError> {
    if shot.mime != "image/png" && shot.mime != "image/jpeg" {
        return fail(
            format!("screenshots[{i}].mime"),
            "must be image/png or image/jpeg",
        );
    }
    check_string(|| format!("screenshots[{i}].data"), &shot.data, limits)?;
    if !crate::dom::is_base64(&shot.data) {
        return fail(format!("screenshots[{i}].data"), "must be base64");
    }
    Ok(())
}
