//! Laying out `dist/`: the unpacked Chromium extension, its zip, and the
//! viewer's assets that the server serves.

use std::fs;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", target.display()))?;
        }
    }
    Ok(())
}

/// Assemble `dist/chromium`, `dist/repro-chromium.zip` and `dist/viewer`.
pub fn assemble() -> Result<(), String> {
    let root = crate::root();
    let dist = root.join("dist");
    let staging = crate::wasm::staging();
    let chromium = dist.join("chromium");
    let _ = fs::remove_dir_all(&chromium);
    copy_dir(&root.join("extension/static"), &chromium)?;
    copy_dir(&staging.join("extension"), &chromium)?;
    fs::copy(
        root.join("extension/manifests/chromium.json"),
        chromium.join("manifest.json"),
    )
    .map_err(|e| format!("manifest: {e}"))?;
    // The one stylesheet of Repro's pages, the extension's too.
    fs::copy(
        root.join("companion-server/viewer/static/repro.css"),
        chromium.join("repro.css"),
    )
    .map_err(|e| format!("repro.css: {e}"))?;
    crate::zip::zip_dir(&chromium, &dist.join("repro-chromium.zip"))?;

    let viewer = dist.join("viewer");
    let _ = fs::remove_dir_all(&viewer);
    copy_dir(&root.join("companion-server/viewer/static"), &viewer)?;
    copy_dir(&staging.join("viewer"), &viewer)?;
    println!("Built {} and {}", chromium.display(), viewer.display());
    Ok(())
}
