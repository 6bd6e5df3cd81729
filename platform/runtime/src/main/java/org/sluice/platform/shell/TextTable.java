package org.sluice.platform.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plain text columns for the shell: a header and rows, each column as wide as its widest cell, two spaces
 * between columns, the last column not padded (it holds the long texts: reasons). A null cell prints as
 * {@code -}; line breaks in a cell become spaces so a row stays one line.
 */
final class TextTable {

    private static final String GAP = "  ";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = header;
    }

    TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
                    + header.length + " columns");
        }
        rows.add(Arrays.stream(cells).map(TextTable::cell).toArray(String[]::new));
        return this;
    }

    private static String cell(Object value) {
        return value == null ? "-" : value.toString().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public String toString() {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (String[] row : rows) {
            out.append(System.lineSeparator());
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        int start = out.length();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                out.append(GAP);
            }
            out.append(cells[c]);
            if (c < cells.length - 1) {
                out.append(" ".repeat(widths[c] - cells[c].length()));
            }
        }
        // An empty last cell would leave trailing blanks.
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
    }
}
