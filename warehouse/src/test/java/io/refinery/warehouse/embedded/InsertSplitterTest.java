package io.refinery.warehouse.embedded;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InsertSplitterTest {

    @Test
    void valuesDataIsSplitOffAndReadFromAFile() {
        String sql = "INSERT INTO t (a, `values`) VALUES (1, 'x\n\ny'), (2, 'VALUES')";

        InsertSplitter.Split split = InsertSplitter.split(sql);

        assertThat(split.head()).isEqualTo("INSERT INTO t (a, `values`)");
        assertThat(sql.substring(split.dataOffset())).isEqualTo(" (1, 'x\n\ny'), (2, 'VALUES')");
        assertThat(split.fromInfile("/tmp/f")).isEqualTo("INSERT INTO t (a, `values`) FROM INFILE '/tmp/f' FORMAT Values");
    }

    @Test
    void formatDataStartsAfterTheFormatNameAndOneLineBreak() {
        String sql = "INSERT INTO db.t FORMAT CSV\n1,2\n\n3,4\n";

        InsertSplitter.Split split = InsertSplitter.split(sql);

        assertThat(split.format()).isEqualTo("CSV");
        assertThat(sql.substring(split.dataOffset())).isEqualTo("1,2\n\n3,4\n");
    }

    @Test
    void settingsStayAfterTheInfileClause() {
        InsertSplitter.Split split = InsertSplitter.split("INSERT INTO t SETTINGS async_insert = 0 FORMAT RowBinary");

        assertThat(split.fromInfile("/f")).isEqualTo("INSERT INTO t FROM INFILE '/f' SETTINGS async_insert = 0 FORMAT RowBinary");
    }

    @Test
    void insertSelectAndOtherStatementsAreLeftAlone() {
        assertThat(InsertSplitter.split("INSERT INTO t SELECT * FROM numbers(3)")).isNull();
        assertThat(InsertSplitter.split("INSERT INTO t (a) WITH 1 AS x SELECT x")).isNull();
        assertThat(InsertSplitter.split("SELECT 'INSERT INTO t VALUES (1)'")).isNull();
        assertThat(InsertSplitter.split("INSERT INTO t FROM INFILE '/x' FORMAT CSV")).isNull();
    }

    @Test
    void aCommentBeforeTheInsertIsSkipped() {
        assertThat(InsertSplitter.split("-- load\n/* c */ insert into t values (1)")).isNotNull();
    }
}
