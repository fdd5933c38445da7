-- name: InsertNote :one
INSERT INTO notes (date, body) VALUES (?, ?) RETURNING id;

-- name: UpdateNote :execrows
UPDATE notes SET date = ?, body = ? WHERE id = ?;

-- name: DeleteNote :exec
DELETE FROM notes WHERE id = ?;

-- name: ListNotesInRange :many
SELECT id, date, body FROM notes
WHERE date >= @from_date AND date <= @to_date
ORDER BY date, id;
