INSERT INTO object_gc (image_id)
SELECT DISTINCT jsonb_array_elements_text(payload -> 'images')::uuid
FROM jobs WHERE kind = 'delete_image_objects'
ON CONFLICT (image_id) DO NOTHING;
DROP TABLE jobs;
