//! Source files of a project: paths, texts, and line/column look-up for spans.

use std::path::{Path, PathBuf};

use crate::manifest::yaml::Span;

/// Index of a file in the [`SourceMap`]. `FileId::NONE` marks built-in data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub const NONE: FileId = FileId(u32::MAX);
}

impl Default for FileId {
    fn default() -> Self {
        FileId::NONE
    }
}

/// One loaded file: its path relative to the project root (forward slashes), its text with
/// any leading byte-order mark removed, and the byte offset of each line start.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the project root, with forward slashes, as shown in reports.
    pub name: String,
    pub text: String,
    line_starts: Vec<u32>,
    /// Whether a line ends with a lone CR, which [`Self::line_starts`] does not count.
    lone_cr: bool,
}

impl SourceFile {
    /// The byte offset of the start of the line `back` lines above the one holding
    /// `offset` (the first line when there are fewer), so that a report can read the text
    /// around a place without scanning the file from its start. `None` when lines end with
    /// a lone CR, which only a scan from the start counts as YAML does.
    pub fn line_start_before(&self, offset: usize, back: usize) -> Option<usize> {
        if self.lone_cr {
            return None;
        }
        let offset = u32::try_from(offset).ok()?;
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        Some(self.line_starts[line.saturating_sub(back)] as usize)
    }

    /// The 0-based line of a byte offset at the start of a line (see
    /// [`Self::line_start_before`]).
    pub fn line_index(&self, line_start: usize) -> usize {
        self.line_starts
            .partition_point(|&s| (s as usize) <= line_start)
            .saturating_sub(1)
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (line + 1, col + 1)
    }
}

/// All files of a project, in the deterministic order they were read.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceFile {
    /// A file read from `path`, shown as `name`: a leading byte-order mark is dropped and
    /// the lines are indexed.
    pub fn new(path: &Path, name: String, text: String) -> SourceFile {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        let mut line_starts = vec![0u32];
        let mut lone_cr = false;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            } else if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                lone_cr = true;
            }
        }
        SourceFile {
            path: path.to_path_buf(),
            name,
            text,
            line_starts,
            lone_cr,
        }
    }
}

impl SourceMap {
    /// Add a file (see [`SourceFile::new`]); its id is its place in the order of adding.
    pub fn add(&mut self, path: &Path, name: String, text: String) -> FileId {
        self.push(SourceFile::new(path, name, text))
    }

    /// Add a file already indexed.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// File name, 1-based line and column of the start of `span`; `None` for built-in data.
    pub fn locate(&self, span: Span) -> Option<(&str, usize, usize)> {
        let f = self.get(span.file)?;
        let (l, c) = f.line_col(span.start);
        Some((&f.name, l, c))
    }

    /// 1-based line and column of the end of `span` (exclusive end, as SARIF wants).
    pub fn locate_end(&self, span: Span) -> Option<(usize, usize)> {
        let f = self.get(span.file)?;
        Some(f.line_col(span.end))
    }
}
