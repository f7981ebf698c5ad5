//! Laying out `dist/`: the unpacked Chromium and Firefox extensions, their
//! zips, and the viewer's assets that the server serves.

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

/// One browser's unpacked extension at `dist/<browser>/` and its zip
/// `dist/repro-<browser>.zip`: the same pages, wasm and loaders, with the
/// browser's own manifest (`extension/manifests/<browser>.json`).
fn assemble_extension(browser: &str) -> Result<(), String> {
    let root = crate::root();
    let dist = root.join("dist");
    let staging = crate::wasm::staging();
    let unpacked = dist.join(browser);
    let _ = fs::remove_dir_all(&unpacked);
    copy_dir(&root.join("extension/static"), &unpacked)?;
    copy_dir(&staging.join("extension"), &unpacked)?;
    fs::copy(
        root.join(format!("extension/manifests/{browser}.json")),
        unpacked.join("manifest.json"),
    )
    .map_err(|e| format!("{browser} manifest: {e}"))?;
    // The one stylesheet of Repro's pages, the extension's too.
    fs::copy(
        root.join("companion-server/viewer/static/repro.css"),
        unpacked.join("repro.css"),
    )
    .map_err(|e| format!("repro.css: {e}"))?;
    crate::icons::write_icons(&unpacked)?;
    crate::zip::zip_dir(&unpacked, &dist.join(format!("repro-{browser}.zip")))
}

/// Assemble `dist/chromium`, `dist/firefox` (each unpacked and zipped) and
/// `dist/viewer`.
pub fn assemble() -> Result<(), String> {
    let root = crate::root();
    let dist = root.join("dist");
    let staging = crate::wasm::staging();
    assemble_extension("chromium")?;
    assemble_extension("firefox")?;

    let viewer = dist.join("viewer");
    let _ = fs::remove_dir_all(&viewer);
    copy_dir(&root.join("companion-server/viewer/static"), &viewer)?;
    copy_dir(&staging.join("viewer"), &viewer)?;
    println!(
        "Built {}, {} and {}",
        dist.join("chromium").display(),
        dist.join("firefox").display(),
        viewer.display()
    );
    Ok(())
}
