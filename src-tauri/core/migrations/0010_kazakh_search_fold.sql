-- #19: customer search finds Kazakh names typed on a Russian keyboard ("Асем" finds "Әсем"):
-- the search key folds ә→а, ғ→г, қ→к, ң→н, ө→о, ұ ү→у, һ→х, і→и (and ё→е, as before). The
-- stored keys are lowercase already (Rust's to_lowercase), so SQL's replace() is enough.
UPDATE customers SET name_fold =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(name_fold,
        'ә', 'а'), 'ғ', 'г'), 'қ', 'к'), 'ң', 'н'), 'ө', 'о'), 'ұ', 'у'), 'ү', 'у'), 'һ', 'х'), 'і', 'и');
