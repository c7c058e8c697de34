//! Tables as aligned columns: where each cell goes in the grid, then how wide each column is.

use prodoc_core::{Block, Child, RawNode, Table, TableCell};
use unicode_width::UnicodeWidthStr;

/// How many grid slots the spans of a table may take, per cell, before further cells are placed
/// without theirs ([`Grid::new`]). A table as people make them stays well below it: a header
/// spanning 50 columns over 50-cell rows takes about one slot per cell.
const SLOTS_PER_CELL: usize = 16;

/// One typed cell placed in the grid.
pub(crate) struct Placed<'a> {
    /// Its grid row (typed rows only) and first grid column.
    row: usize,
    col: usize,
    colspan: usize,
    /// Its index among the table's rows and the row's cells, for pointers.
    pub(crate) at: (usize, usize),
    pub(crate) content: &'a [Block],
}

/// A table being written: its cells in document order, and the lines of those written so far.
pub(crate) struct Grid<'a> {
    pub(crate) cells: Vec<Placed<'a>>,
    /// The lines each cell wrote, each ended by `\n`, in the order of `cells`.
    pub(crate) outputs: Vec<String>,
    /// The owner of each grid slot, row by row.
    owners: Vec<Vec<Option<usize>>>,
    header_rows: usize,
}

/// The places of rows and cells that are not typed nodes, for diagnostics.
pub(crate) enum RawAt {
    Row(usize),
    Cell(usize, usize),
}

impl<'a> Grid<'a> {
    /// Places the cells of `table`, reporting raw rows and cells through `raw`.
    ///
    /// Spans merge slots of the grid the cells make; they never add any. The grid is as wide as
    /// the row with the most cells and has one row per row, and a span stops before a slot
    /// another cell holds, at the table's last row and last column, before it would leave a
    /// later cell of its row without a column, and before it would push a later row's own cells
    /// past the last column. Without that, 8,000 one-cell rows each spanning every row below
    /// made a triangle of 32 million slots (256 MB of text from 360 KB of HTML); now they make
    /// 8,000 lines. A table laid out as written keeps its spans.
    ///
    /// Those rules bound each span by the table's extent, but a ragged table can still have a
    /// wide extent and many rows: one row of W cells above N rows of one cell each spanning every
    /// column is W x N slots, quadratic in the input. So spans together may take at most
    /// [`SLOTS_PER_CELL`] slots per cell; cells placed past that take one slot each.
    pub(crate) fn new(table: &'a Table, mut raw: impl FnMut(RawAt, &'a RawNode)) -> Self {
        let mut rows: Vec<(usize, Vec<(usize, &'a TableCell)>)> = Vec::new();
        for (r, row) in table.rows.iter().enumerate() {
            match row {
                Child::Node(row) => {
                    let mut cells = Vec::new();
                    for (c, cell) in row.cells.iter().enumerate() {
                        match cell {
                            Child::Node(cell) => cells.push((c, cell)),
                            Child::Raw(node) => raw(RawAt::Cell(r, c), node),
                        }
                    }
                    rows.push((r, cells));
                }
                Child::Raw(node) => raw(RawAt::Row(r), node),
            }
        }
        // The widest row's cell count: every row's own cells fit in it.
        let width = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
        let budget = rows
            .iter()
            .map(|(_, cells)| cells.len())
            .sum::<usize>()
            .saturating_mul(SLOTS_PER_CELL);
        let mut used = 0usize;
        // Slots of each row that spans from the rows above hold.
        let mut spanned = vec![0usize; rows.len()];
        let mut owners: Vec<Vec<Option<usize>>> = vec![Vec::new(); rows.len()];
        let mut cells = Vec::new();
        let mut header_rows = 0;
        let mut in_header = true;
        for (grid_row, (r, row)) in rows.iter().enumerate() {
            in_header = in_header && !row.is_empty() && row.iter().all(|(_, cell)| cell.header);
            if in_header {
                header_rows += 1;
            }
            let mut col = 0;
            // Free slots from `col` to the last column: never fewer than the cells left to place,
            // since spans from above leave room for this row's cells.
            let mut free_slots = width.saturating_sub(spanned.get(grid_row).copied().unwrap_or(0));
            for (placed, (c, cell)) in row.iter().enumerate() {
                let free = |owners: &Vec<Vec<Option<usize>>>, row: usize, col: usize| {
                    owners
                        .get(row)
                        .and_then(|slots| slots.get(col))
                        .is_none_or(Option::is_none)
                };
                while !free(&owners, grid_row, col) {
                    col += 1;
                }
                free_slots = free_slots.saturating_sub(1);
                let left = row.len() - placed - 1;
                let wanted = usize::try_from(cell.colspan.get()).unwrap_or(usize::MAX);
                let mut colspan = 1;
                while colspan < wanted
                    && col + colspan < width
                    && free_slots > left
                    && used + colspan < budget
                    && free(&owners, grid_row, col + colspan)
                {
                    colspan += 1;
                    free_slots -= 1;
                }
                let wanted = usize::try_from(cell.rowspan.get()).unwrap_or(usize::MAX);
                let mut rowspan = 1;
                while rowspan < wanted
                    && used + colspan * (rowspan + 1) <= budget
                    && rows.get(grid_row + rowspan).is_some_and(|(_, below)| {
                        let taken = spanned.get(grid_row + rowspan).copied().unwrap_or(0);
                        taken + below.len() + colspan <= width
                    })
                    && (col..col + colspan).all(|c| free(&owners, grid_row + rowspan, c))
                {
                    if let Some(taken) = spanned.get_mut(grid_row + rowspan) {
                        *taken += colspan;
                    }
                    rowspan += 1;
                }
                used += colspan * rowspan;
                let index = cells.len();
                for slots in owners.iter_mut().skip(grid_row).take(rowspan) {
                    if slots.len() < col + colspan {
                        slots.resize(col + colspan, None);
                    }
                    for slot in slots.iter_mut().skip(col).take(colspan) {
                        *slot = Some(index);
                    }
                }
                cells.push(Placed {
                    row: grid_row,
                    col,
                    colspan,
                    at: (*r, *c),
                    content: &cell.content,
                });
                col += colspan;
            }
        }
        Self {
            outputs: Vec::with_capacity(cells.len()),
            cells,
            owners,
            header_rows,
        }
    }

    /// Gives `emit` the table's lines, once every cell's lines are in `outputs`.
    ///
    /// Columns are as wide as their widest cell (at least 1) and separated by ` | `; a spanning
    /// cell covers its columns and the separators between them, and widens its last column when
    /// it needs more room. A row is as tall as its tallest cell; a cell spanning rows writes its
    /// lines in its first row. A rule (`---+---`) follows the header rows, and separates every
    /// row when some row is taller than one line.
    ///
    /// A row ends at its last cell, and a rule is as wide as the wider of the rows it separates:
    /// padding short rows of a ragged table to its widest one wrote every empty column's ` | `,
    /// so one row of 4,000 cells above 4,000 one-cell rows made 64 MB of text; now the text is
    /// as long as the cells and spans it holds.
    pub(crate) fn write_lines(&self, mut emit: impl FnMut(&str)) {
        let cols = self.owners.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let lines_of = |index: usize| {
            self.outputs
                .get(index)
                .map_or("", String::as_str)
                .split_terminator('\n')
        };
        let cell_width = |index: usize| lines_of(index).map(|line| line.width()).max().unwrap_or(0);
        let mut widths = vec![1; cols];
        let mut spanning: Vec<usize> = Vec::new();
        for (index, cell) in self.cells.iter().enumerate() {
            if cell.colspan == 1 {
                if let Some(width) = widths.get_mut(cell.col) {
                    *width = (*width).max(cell_width(index));
                }
            } else {
                spanning.push(index);
            }
        }
        spanning.sort_by_key(|&index| self.cells.get(index).map_or(0, |cell| cell.colspan));
        for index in spanning {
            let Some(cell) = self.cells.get(index) else {
                continue;
            };
            let have = span_width(&widths, cell.col, cell.colspan);
            let need = cell_width(index);
            if need > have {
                if let Some(last) = widths.get_mut(cell.col + cell.colspan - 1) {
                    *last += need - have;
                }
            }
        }
        let mut heights = vec![1; self.owners.len()];
        for (index, cell) in self.cells.iter().enumerate() {
            let lines = lines_of(index).count();
            if let Some(height) = heights.get_mut(cell.row) {
                *height = (*height).max(lines);
            }
        }
        let ruled = heights.iter().any(|&height| height > 1);
        let rule = |cols: usize| {
            let mut rule = String::new();
            for (col, &width) in widths.iter().take(cols).enumerate() {
                if col > 0 {
                    rule.push_str("-+-");
                }
                rule.extend(std::iter::repeat_n('-', width));
            }
            rule
        };
        let mut above = 0;
        let mut line = String::new();
        for (row, (slots, &height)) in self.owners.iter().zip(&heights).enumerate() {
            let row_cols = slots.len().min(cols);
            if row > 0 && (ruled || row == self.header_rows) {
                emit(&rule(above.max(row_cols).max(1)));
            }
            above = row_cols;
            // The lines of the cells that start in this row, by column, split once for the row.
            let mut starting: Vec<Vec<&str>> = Vec::new();
            if height > 1 {
                starting.resize_with(row_cols, Vec::new);
                for &index in slots.iter().take(row_cols).flatten() {
                    let Some(cell) = self.cells.get(index).filter(|cell| cell.row == row) else {
                        continue;
                    };
                    // A spanning cell owns several slots: its lines are split once.
                    if let Some(lines) = starting.get_mut(cell.col).filter(|l| l.is_empty()) {
                        lines.extend(lines_of(index));
                    }
                }
            }
            for k in 0..height {
                line.clear();
                let mut col = 0;
                while col < row_cols {
                    if col > 0 {
                        line.push_str(" | ");
                    }
                    let owner = slots.get(col).copied().flatten();
                    let (text, span) = match owner.and_then(|i| Some((i, self.cells.get(i)?))) {
                        Some((index, cell)) if cell.col == col => {
                            let text = if cell.row != row {
                                ""
                            } else if height > 1 {
                                starting
                                    .get(col)
                                    .and_then(|lines| lines.get(k))
                                    .copied()
                                    .unwrap_or("")
                            } else {
                                lines_of(index).next().unwrap_or("")
                            };
                            (text, cell.colspan)
                        }
                        _ => ("", 1),
                    };
                    let width = span_width(&widths, col, span);
                    line.push_str(text);
                    line.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
                    col += span;
                }
                let trimmed = line.trim_end_matches([' ', '\t']).len();
                line.truncate(trimmed);
                emit(&line);
            }
        }
    }
}

/// The width `span` columns from `col` give a cell: theirs and the separators between them.
fn span_width(widths: &[usize], col: usize, span: usize) -> usize {
    widths.iter().skip(col).take(span).sum::<usize>() + 3 * span.saturating_sub(1)
}
