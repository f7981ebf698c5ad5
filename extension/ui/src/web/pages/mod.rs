//! The extension's pages: each page's few-line loader calls its `*_main`.

mod html;
mod mark_form;
mod options;
mod popup;
mod review;
