//! The extension's pages: each page's few-line loader calls its `*_main`.

mod annotator;
mod mark_form;
mod options;
mod page_elements;
mod popup;
mod review;
